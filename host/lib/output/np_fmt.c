#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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
