#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_calfile.h"
#include "np_json.h"
#include "np_err.h"

#define FORMAT_TAG "nightpose-calibration"

/* Rounded as every JSON of nightpose is; a rotation and a gravity direction to 1e-6,
 * below a float's resolution near 1, so that nothing a float holds is lost. */
static cJSON *vec_json_rounded(const float *v, int n, int decimals)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; a && i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(np_json_round((double)v[i], decimals)));
	return a;
}

static cJSON *vec_json(const float *v, int n)
{
	return vec_json_rounded(v, n, NP_JSON_G);
}

static cJSON *mat_json(const struct np_mat3 *m)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; a && i < 3; i++)
		cJSON_AddItemToArray(a, vec_json(m->m[i], 3));
	return a;
}

static cJSON *window_json(const struct np_cal_window_rec *w)
{
	cJSON *o = cJSON_CreateObject();
	float mean[3] = { w->mean_g.x, w->mean_g.y, w->mean_g.z };
	np_json_add_number(o, "start_s", w->start_s, NP_JSON_S);
	np_json_add_number(o, "end_s", w->end_s, NP_JSON_S);
	cJSON_AddNumberToObject(o, "samples", (double)w->samples);
	cJSON_AddItemToObject(o, "mean_g", vec_json(mean, 3));
	np_json_add_number(o, "sd_mg", (double)w->sd_mg, NP_JSON_MG);
	return o;
}

cJSON *np_calfile_autocal_json(const struct np_autocal *a)
{
	cJSON *ac = cJSON_CreateObject();
	if (!ac)
		return NULL;
	cJSON_AddStringToObject(ac, "status", np_autocal_status_text(a->status));
	cJSON_AddBoolToObject(ac, "applied", a->applied);
	cJSON_AddItemToObject(ac, "offset_g", vec_json_rounded(a->offset_g, 3, NP_JSON_G));
	cJSON_AddItemToObject(ac, "scale", vec_json_rounded(a->scale, 3, NP_JSON_G));
	if (np_autocal_has_error(a)) {
		np_json_add_number(ac, "error_before_mg", (double)a->err_before_mg, NP_JSON_MG);
		np_json_add_number(ac, "error_after_mg", (double)a->err_after_mg, NP_JSON_MG);
	} else {
		cJSON_AddNullToObject(ac, "error_before_mg");
		cJSON_AddNullToObject(ac, "error_after_mg");
	}
	cJSON_AddNumberToObject(ac, "points", (double)a->n_points);
	return ac;
}

int np_calfile_to_json(const struct np_calfile *c, char **text)
{
	*text = NULL;
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return NP_ERR_NOMEM;
	cJSON_AddStringToObject(root, "format", FORMAT_TAG);
	cJSON_AddNumberToObject(root, "version", NP_CALFILE_VERSION);
	cJSON_AddStringToObject(root, "created_utc", c->created_utc);
	cJSON_AddStringToObject(root, "device_serial", c->device_serial);
	cJSON_AddStringToObject(root, "source", c->source);
	cJSON_AddItemToObject(root, "rotation", mat_json(&c->chest.r));
	cJSON *win = cJSON_AddObjectToObject(root, "windows");
	cJSON_AddItemToObject(win, "supine", window_json(&c->supine));
	cJSON_AddItemToObject(win, "left", window_json(&c->left));
	cJSON *q = cJSON_AddObjectToObject(root, "quality");
	np_json_add_number(q, "stillness_sd_mg", (double)fmaxf(c->supine.sd_mg, c->left.sd_mg),
			   NP_JSON_MG);
	np_json_add_number(q, "angle_deg", (double)c->chest.angle_deg, NP_JSON_DEG);
	np_json_add_number(q, "orthogonality_residual", (double)c->chest.ortho_residual, NP_JSON_G);
	cJSON_AddItemToObject(root, "autocal", np_calfile_autocal_json(&c->autocal));
	if (c->has_second) {
		cJSON *s = cJSON_AddObjectToObject(root, "second_sensor");
		cJSON_AddItemToObject(s, "rotation", mat_json(&c->second.r));
		np_json_add_number(s, "angle_deg", (double)c->second.angle_deg, NP_JSON_DEG);
	}
	*text = cJSON_Print(root);
	cJSON_Delete(root);
	return *text ? NP_OK : NP_ERR_NOMEM;
}

static int bad(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(char *why, size_t cap, const char *fmt, ...)
{
	if (why && cap) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, cap, fmt, ap);
		va_end(ap);
	}
	return NP_ERR_FORMAT;
}

/* A float from JSON: a number whose float value is finite and within [lo, hi]
 * (1e39 is a finite double but an infinite float). */
static bool to_float(const cJSON *e, double lo, double hi, float *out)
{
	if (!cJSON_IsNumber(e))
		return false;
	float v = (float)e->valuedouble;
	if (!isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool read_vec(const cJSON *a, float *out, int n, double lo, double hi)
{
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
		return false;
	for (int i = 0; i < n; i++)
		if (!to_float(cJSON_GetArrayItem(a, i), lo, hi, &out[i]))
			return false;
	return true;
}

/* Finite as floats and their products: whether they make a rotation is check_rotation()'s. */
#define ROT_ELEM_MAX 1e6

static bool read_mat(const cJSON *a, struct np_mat3 *m)
{
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 3)
		return false;
	for (int i = 0; i < 3; i++)
		if (!read_vec(cJSON_GetArrayItem(a, i), m->m[i], 3, -ROT_ELEM_MAX, ROT_ELEM_MAX))
			return false;
	return true;
}

static int check_rotation(const struct np_mat3 *m, const char *what, char *why, size_t cap)
{
	float res = np_mat3_ortho_residual(m);
	if (!(res < 1e-3f))
		return bad(why, cap, "%s is not orthonormal (residual %.3g)", what, (double)res);
	if (!(np_mat3_det(m) > 0.0f))
		return bad(why, cap, "%s is a reflection, not a rotation", what);
	return NP_OK;
}

static double num(const cJSON *o, const char *key, double dflt)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(e) && isfinite(e->valuedouble) ? e->valuedouble : dflt;
}

/*
 * An optional number: absent (or null) gives dflt; present, it must be a finite
 * number within [lo, hi]. Returns false, with why filled, otherwise.
 */
static bool opt_num(const cJSON *o, const char *key, double lo, double hi, double dflt, double *out,
		    char *why, size_t cap)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, key);
	*out = dflt;
	if (!e || cJSON_IsNull(e))
		return true;
	if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble) || !isfinite((float)e->valuedouble) ||
	    e->valuedouble < lo || e->valuedouble > hi) {
		bad(why, cap, "\"%s\" must be a number from %g to %g", key, lo, hi);
		return false;
	}
	*out = e->valuedouble;
	return true;
}

static void copy_str(char *dst, size_t cap, const cJSON *o, const char *key)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, key);
	dst[0] = '\0';
	if (cJSON_IsString(e) && e->valuestring)
		snprintf(dst, cap, "%s", e->valuestring);
}

/* Limits of what a calibration file may say: a window within 10 years of recording,
 * accelerations within the 16 g of the largest range, angles in degrees. */
#define WIN_S_MAX 3.2e8
#define SAMPLES_MAX 1e12
#define MEAN_G_MAX 16.0
#define SD_MG_MAX 1e5

static int read_window(const cJSON *o, const char *name, struct np_cal_window_rec *w, char *why,
		       size_t cap)
{
	double samples, sd;
	float mean[3] = { 0, 0, 0 };
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "mean_g");
	if (!opt_num(o, "start_s", 0, WIN_S_MAX, 0, &w->start_s, why, cap) ||
	    !opt_num(o, "end_s", 0, WIN_S_MAX, 0, &w->end_s, why, cap) ||
	    !opt_num(o, "samples", 0, SAMPLES_MAX, 0, &samples, why, cap) ||
	    !opt_num(o, "sd_mg", 0, SD_MG_MAX, 0, &sd, why, cap))
		return NP_ERR_FORMAT;
	if (w->end_s < w->start_s)
		return bad(why, cap, "window \"%s\" ends (%g s) before it starts (%g s)", name,
			   w->end_s, w->start_s);
	if (m && !read_vec(m, mean, 3, -MEAN_G_MAX, MEAN_G_MAX))
		return bad(why, cap, "window \"%s\": \"mean_g\" must be 3 numbers from -%g to %g g",
			   name, MEAN_G_MAX, MEAN_G_MAX);
	w->samples = (size_t)samples;
	w->mean_g = (struct np_vec3){ mean[0], mean[1], mean[2] };
	w->sd_mg = (float)sd;
	return NP_OK;
}

static int read_autocal(const cJSON *ac, struct np_autocal *a, char *why, size_t cap)
{
	double before, after, pts;
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(ac, "status");
	if (cJSON_IsString(st) && strcmp(st->valuestring, "applied") == 0) {
		/* The range autocalibration itself accepts (np_autocal_fit). */
		if (!read_vec(cJSON_GetObjectItemCaseSensitive(ac, "offset_g"), a->offset_g, 3, -0.999,
			      0.999) ||
		    !read_vec(cJSON_GetObjectItemCaseSensitive(ac, "scale"), a->scale, 3, 0.501, 1.999))
			return bad(why, cap, "\"autocal\" needs offset_g (3 numbers within +-1 g) and "
					     "scale (3 numbers from 0.5 to 2)");
		a->status = NP_AUTOCAL_APPLIED;
		a->applied = true;
	}
	if (!opt_num(ac, "error_before_mg", 0, SD_MG_MAX, 0, &before, why, cap) ||
	    !opt_num(ac, "error_after_mg", 0, SD_MG_MAX, 0, &after, why, cap) ||
	    !opt_num(ac, "points", 0, SAMPLES_MAX, 0, &pts, why, cap))
		return NP_ERR_FORMAT;
	a->err_before_mg = (float)before;
	a->err_after_mg = (float)after;
	a->n_points = (size_t)pts;
	return NP_OK;
}

int np_calfile_from_json(const char *text, struct np_calfile *c, char *why, size_t cap)
{
	int rc = NP_OK;
	memset(c, 0, sizeof *c);
	np_mat3_identity(&c->chest.r);
	np_autocal_identity(&c->autocal);
	cJSON *root = cJSON_Parse(text);
	if (!root)
		return bad(why, cap, "not valid JSON");
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!cJSON_IsObject(root) || !cJSON_IsString(fmt) || strcmp(fmt->valuestring, FORMAT_TAG) != 0) {
		rc = bad(why, cap, "not a nightpose calibration file (no \"format\": \"%s\")", FORMAT_TAG);
		goto out;
	}
	double version = num(root, "version", -1);
	if (version != NP_CALFILE_VERSION) {
		rc = NP_ERR_VERSION;
		bad(why, cap, "unsupported calibration file version %g (this program reads %d)", version,
		    NP_CALFILE_VERSION);
		goto out;
	}
	c->version = NP_CALFILE_VERSION;
	if (!read_mat(cJSON_GetObjectItemCaseSensitive(root, "rotation"), &c->chest.r)) {
		rc = bad(why, cap, "\"rotation\" must be a 3x3 array of numbers");
		goto out;
	}
	if ((rc = check_rotation(&c->chest.r, "\"rotation\"", why, cap)) != NP_OK)
		goto out;
	c->chest.ortho_residual = np_mat3_ortho_residual(&c->chest.r);
	copy_str(c->created_utc, sizeof c->created_utc, root, "created_utc");
	copy_str(c->device_serial, sizeof c->device_serial, root, "device_serial");
	copy_str(c->source, sizeof c->source, root, "source");
	const cJSON *win = cJSON_GetObjectItemCaseSensitive(root, "windows");
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(root, "quality");
	const cJSON *ac = cJSON_GetObjectItemCaseSensitive(root, "autocal");
	double angle;
	if ((rc = read_window(cJSON_GetObjectItemCaseSensitive(win, "supine"), "supine", &c->supine,
			      why, cap)) != NP_OK ||
	    (rc = read_window(cJSON_GetObjectItemCaseSensitive(win, "left"), "left", &c->left, why,
			      cap)) != NP_OK ||
	    (ac && (rc = read_autocal(ac, &c->autocal, why, cap)) != NP_OK))
		goto out;
	if (!opt_num(q, "angle_deg", 0, 180, 0, &angle, why, cap)) {
		rc = NP_ERR_FORMAT;
		goto out;
	}
	c->chest.angle_deg = (float)angle;
	const cJSON *second = cJSON_GetObjectItemCaseSensitive(root, "second_sensor");
	if (second) {
		if (!read_mat(cJSON_GetObjectItemCaseSensitive(second, "rotation"), &c->second.r)) {
			rc = bad(why, cap, "\"second_sensor.rotation\" must be a 3x3 array of numbers");
			goto out;
		}
		if ((rc = check_rotation(&c->second.r, "\"second_sensor.rotation\"", why, cap)) != NP_OK)
			goto out;
		if (!opt_num(second, "angle_deg", 0, 180, 0, &angle, why, cap)) {
			rc = NP_ERR_FORMAT;
			goto out;
		}
		c->second.angle_deg = (float)angle;
		c->second.ortho_residual = np_mat3_ortho_residual(&c->second.r);
		c->has_second = true;
	}
out:
	cJSON_Delete(root);
	return rc;
}

/* Calibration files are a few kB; anything much larger is not one. */
#define CALFILE_MAX_BYTES (1u << 20)

int np_calfile_load(const char *path, struct np_calfile *c, char *why, size_t cap)
{
	memset(c, 0, sizeof *c);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NP_ERR_IO;
	char *buf = malloc(CALFILE_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		return NP_ERR_NOMEM;
	}
	errno = 0;
	size_t len = fread(buf, 1, CALFILE_MAX_BYTES + 1, f);
	int err = ferror(f), e = errno;
	fclose(f);
	int rc;
	if (err) {
		errno = e ? e : EIO; /* a directory says EISDIR, more use than EIO */
		rc = NP_ERR_IO;
	} else if (len > CALFILE_MAX_BYTES) {
		rc = bad(why, cap, "file too large for a calibration file");
	} else {
		buf[len] = '\0';
		rc = np_calfile_from_json(buf, c, why, cap);
	}
	free(buf);
	return rc;
}
