#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "np_fmt.h"

/* Whole units of unit_s in s, clamped to [0, NP_FMT_HOURS_MAX h] so the text has a known width. */
static long whole_units(double s, double unit_s)
{
	if (!(s > 0))
		return 0;
	if (s > NP_FMT_HOURS_MAX * 3600.0)
		s = NP_FMT_HOURS_MAX * 3600.0;
	return lround(s / unit_s);
}

void np_fmt_hm(double s, char *out, size_t cap)
{
	long m = whole_units(s, 60.0);
	snprintf(out, cap, "%ld:%02ld", m / 60, m % 60);
}

void np_fmt_hms(double s, char *out, size_t cap)
{
	long t = whole_units(s, 1.0);
	snprintf(out, cap, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

bool np_fmt_iso8601(double utc_s, char *out, size_t cap)
{
	char zone[8];
	struct tm tm;
	time_t t = (time_t)floor(utc_s);
	if (cap > 0)
		out[0] = '\0';
	if (!(utc_s > 0) || !localtime_r(&t, &tm) || strftime(zone, sizeof zone, "%z", &tm) != 5)
		return false;
	/* strftime's %z is "+0100"; ISO 8601 extended format wants "+01:00". */
	size_t n = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n == 0 || snprintf(out + n, cap - n, "%.3s:%.2s", zone, zone + 3) != 6) {
		out[0] = '\0';
		return false;
	}
	return true;
}

void np_fmt_duration(double s, char *out, size_t cap)
{
	if (!(s > 0))
		s = 0;
	if (s < 120.0)
		snprintf(out, cap, "%.0f s", s);
	else
		snprintf(out, cap, "%.1f min", s / 60.0);
}

/* Length of the valid UTF-8 sequence at p (up to end), or 0. Overlong forms,
 * surrogates and values above U+10FFFF are not valid. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
	if (p[0] < 0xC2 || p[0] > 0xF4 || (size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	unsigned cp = n == 2 ? (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu)
		    : n == 3 ? (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu)
			     : (p[0] & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 |
				       (p[3] & 0x3Fu);
	if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return cp >= 0x80 && cp <= 0x9F ? 0 : n; /* C1 controls: escaped byte by byte */
}

char *np_fmt_printable(const char *in, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	const unsigned char *end = p + strlen((const char *)p);
	size_t o = 0;
	if (cap == 0)
		return out;
	while (p < end) {
		size_t n = *p < 0x80 ? 1 : utf8_len(p, end);
		bool esc = n == 0 || *p < 0x20 || *p == 0x7f;
		size_t need = esc ? 4 : n;
		if (o + need >= cap)
			break;
		if (esc)
			snprintf(out + o, cap - o, "\\x%02x", *p);
		else
			memcpy(out + o, p, n);
		o += need;
		p += esc ? 1 : n;
	}
	out[o] = '\0';
	return out;
}

void np_json_add_clock(cJSON *o, const char *key, double start_utc_s, double t_s)
{
	char clk[40];
	if (start_utc_s > 0 && np_fmt_iso8601(start_utc_s + t_s, clk, sizeof clk))
		cJSON_AddStringToObject(o, key, clk);
	else
		cJSON_AddNullToObject(o, key);
}
