#include <math.h>
#include <stdio.h>

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
