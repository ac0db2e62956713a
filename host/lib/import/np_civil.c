#include "np_civil.h"

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Proleptic Gregorian calendar, days since 1970-01-01 (H. Hinnant's algorithm):
	 * avoids timegm(), which is not POSIX and depends on the process time zone. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool np_civil_valid(const unsigned v[6])
{
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (v[0] < 1970 || v[0] > 2199 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > mdays[v[1] - 1] || v[3] > 23 || v[4] > 59 || v[5] > 59)
		return false;
	bool leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
	return !(v[1] == 2 && v[2] == 29 && !leap);
}

int64_t np_civil_ms(const unsigned v[6])
{
	int64_t days = days_from_civil(v[0], v[1], v[2]);
	return ((days * 24 + v[3]) * 3600 + v[4] * 60 + v[5]) * 1000;
}
