#include <cjson/cJSON.h>
#include <math.h>

#include "np_err.h"
#include "np_json.h"
#include "np_posture.h"

double np_json_round(double v, int decimals)
{
	static const double scale[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6 };

	if (!isfinite(v) || decimals < 0 || decimals > 6)
		return v;
	double x = v * scale[decimals];
	/* Beyond 2^53 a double holds no fraction to round away. */
	if (fabs(x) >= 9007199254740992.0)
		return v;
	/* An integer divided by a power of ten: the double nearest the decimal value. */
	return round(x) / scale[decimals];
}

cJSON *np_json_add_number(cJSON *o, const char *name, double v, int decimals)
{
	return cJSON_AddNumberToObject(o, name, np_json_round(v, decimals));
}

int np_json_line(cJSON *o, FILE *f)
{
	char *text = o ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	if (!text)
		return NP_ERR_NOMEM;
	fputs(text, f);
	fputc('\n', f);
	cJSON_free(text);
	return ferror(f) ? NP_ERR_IO : NP_OK;
}

cJSON *np_json_positions(unsigned mask)
{
	cJSON *names = cJSON_CreateArray();
	for (unsigned p = 1; names && p < NP_POS_COUNT; p++)
		if (mask & NP_POS_BIT(p))
			cJSON_AddItemToArray(names, cJSON_CreateString(np_position_name((enum np_position)p)));
	return names;
}
