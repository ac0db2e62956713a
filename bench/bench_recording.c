/*
 * Writes a synthetic night with the recording builder (what import and simulate
 * do), then loads it with np_night_load() (what every analysis command does),
 * and prints the file size and both times.
 *   bench_recording [hours] [rate_hz] [dir]      defaults: 8 25 .
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "np_err.h"
#include "np_night.h"
#include "np_rec_builder.h"

#define NP_PI 3.14159265358979323846

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, int rc)
{
	fprintf(stderr, "bench_recording: %s: %s\n", what,
		rc == NP_ERR_IO ? strerror(errno) : np_strerror(rc));
	return 1;
}

/* A sleeper turning every 20 minutes, with breathing on the chest axis: counts of 1/1000 g. */
static void sample_at(double t, int16_t *x, int16_t *y, int16_t *z)
{
	double roll = (double)((long)(t / 1200.0) % 4) * NP_PI / 2.0;
	double breath = 0.01 * sin(2.0 * NP_PI * 0.25 * t);

	*x = (int16_t)lround(50.0);
	*y = (int16_t)lround(-1000.0 * sin(roll));
	*z = (int16_t)lround(1000.0 * (cos(roll) + breath));
}

int main(int argc, char **argv)
{
	double hours = argc > 1 ? atof(argv[1]) : 8.0;
	double rate = argc > 2 ? atof(argv[2]) : 25.0;
	const char *dir = argc > 3 ? argv[3] : ".";
	struct np_rec_header h;
	struct np_rec_builder *b;
	struct np_night n;
	char path[4096];
	struct stat st;
	double t0, t_write, t_load;
	uint64_t count;
	int rc;

	if (hours <= 0 || rate <= 0 || rate > 1000) {
		fprintf(stderr, "usage: bench_recording [hours] [rate_hz] [dir]\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/bench_recording.npr", dir);
	memset(&h, 0, sizeof h);
	h.created_utc_ms = 1768516200000LL;
	h.hello = (struct np_hello){ .protocol_version = NP_PROTOCOL_VERSION, .serial = "BENCH",
				     .sensor_model = NP_SENSOR_SIMULATED, .sensor_count = 1,
				     .range_g = 2, .rate_millihz = (uint32_t)lround(rate * 1000.0),
				     .lsb_per_g = 1000, .tick_hz = 1000 };
	h.flags = NP_REC_SIMULATED;
	strcpy(h.source, "bench_recording");
	count = (uint64_t)(hours * 3600.0 * rate);

	t0 = now_s();
	rc = np_rec_builder_open(&b, path, &h);
	if (rc != NP_OK)
		return fail(path, rc);
	for (uint64_t i = 0; i < count; i++) {
		double t = (double)i / rate;
		int16_t x, y, z;

		sample_at(t, &x, &y, &z);
		rc = np_rec_builder_add_sample(b, 0, (uint32_t)llround(t * 1000.0), x, y, z);
		if (rc != NP_OK) {
			np_rec_builder_abort(b);
			return fail(path, rc);
		}
	}
	rc = np_rec_builder_commit(b);
	if (rc != NP_OK)
		return fail(path, rc);
	t_write = now_s() - t0;

	t0 = now_s();
	rc = np_night_load(path, &n);
	if (rc != NP_OK)
		return fail(path, rc);
	t_load = now_s() - t0;
	if (stat(path, &st) != 0)
		return fail(path, NP_ERR_IO);

	printf("night:    %.1f h at %g Hz, %llu samples, %llu records\n", hours, rate,
	       (unsigned long long)n.sensor[0].n, (unsigned long long)n.stats.records);
	printf("file:     %.2f MB (%.1f bytes/sample)\n", (double)st.st_size / 1e6,
	       (double)st.st_size / (double)count);
	printf("write:    %.3f s (%.1f MB/s)\n", t_write, (double)st.st_size / 1e6 / t_write);
	printf("load:     %.3f s (%.1f MB/s, %.2f M samples/s)\n", t_load,
	       (double)st.st_size / 1e6 / t_load, (double)n.sensor[0].n / 1e6 / t_load);
	printf("check:    duration %.1f s, gaps %zu, corrupted %llu\n", n.duration_s, n.n_gaps,
	       (unsigned long long)n.stats.corrupt_records);
	np_night_free(&n);
	unlink(path);
	return 0;
}
