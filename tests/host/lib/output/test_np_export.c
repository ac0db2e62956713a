/* EDF+ and CSV export: written files are read back (EDFlib, stdio) and compared. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <edflib.h>

#include "np_episodes.h"
#include "np_err.h"
#include "np_export.h"

#define OUT_DIR NP_BINARY_DIR "/test_np_export.out"

/* 2026-11-23 22:30:00 UTC (tests run with TZ=UTC). */
#define START_UTC 1795473000.0

struct fixture {
	struct np_night night;
	struct np_episode ep[4];
	struct np_night_event ev[2];
	struct np_night_annotation ann[2];
	struct np_gap gap[1];
};

/* Counts from a cheap deterministic pattern, so every sample differs. */
static int16_t pattern(size_t i, int axis)
{
	return (int16_t)((int)((i * 37u + (size_t)axis * 101u) % 401u) - 200 + (axis == 2 ? 1000 : 0));
}

static void add_series(struct np_series *s, double rate_hz, double dur_s, double gap0, double gap1,
		       int lsb)
{
	size_t n = (size_t)(dur_s * rate_hz);
	s->v = (struct np_sample_g *)calloc(n, sizeof *s->v);
	assert_non_null(s->v);
	s->cap = n;
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / rate_hz;
		if (t >= gap0 && t < gap1)
			continue;
		struct np_sample_g *v = &s->v[s->n++];
		v->t_s = t;
		v->x = (float)pattern(i, 0) / (float)lsb;
		v->y = (float)pattern(i, 1) / (float)lsb;
		v->z = (float)pattern(i, 2) / (float)lsb;
	}
}

/* 600 s at rate_hz, a 30 s gap at 200 s, an alert, a note, the recorder's settings note,
 * four episodes. */
static void make_night(struct fixture *fx, uint32_t rate_millihz, int lsb, bool second)
{
	memset(fx, 0, sizeof *fx);
	struct np_night *n = &fx->night;
	n->header.hello.rate_millihz = rate_millihz;
	n->header.hello.lsb_per_g = (uint16_t)lsb;
	n->header.hello.sensor_count = second ? 2 : 1;
	strcpy(n->header.hello.serial, "TEST-1");
	strcpy(n->header.source, "test_np_export");
	n->start_utc_s = START_UTC;
	n->duration_s = 600;
	n->sensor_count = second ? 2 : 1;
	add_series(&n->sensor[0], rate_millihz / 1000.0, 600, 200, 230, lsb);
	if (second)
		add_series(&n->sensor[1], rate_millihz / 1000.0, 600, 200, 230, lsb);
	fx->gap[0] = (struct np_gap){200, 230};
	n->gaps = fx->gap;
	n->n_gaps = 1;
	fx->ev[0] = (struct np_night_event){.t_s = 100, .ev = {.kind = NP_EVENT_ALERT_FIRED,
							       .position = NP_POS_PRONE, .level = 1}};
	fx->ev[1] = (struct np_night_event){.t_s = 160, .ev = {.kind = NP_EVENT_ALERT_CLEARED,
							       .position = NP_POS_PRONE}};
	n->events = fx->ev;
	n->n_events = 2;
	fx->ann[0] = (struct np_night_annotation){.start_s = 0, .end_s = 300, .kind = NP_ANN_NOTE};
	strcpy(fx->ann[0].text, "simulated breathing 14.0 bpm");
	/* The recorder's settings, for replay only: not exported. */
	fx->ann[1] = (struct np_night_annotation){.start_s = 0, .end_s = 0, .kind = NP_ANN_NOTE};
	strcpy(fx->ann[1].text, "nightpose-live avoid=prone after=240 delay=0 mode=vibrate rot=identity");
	n->ann = fx->ann;
	n->n_ann = 2;
	fx->ep[0] = (struct np_episode){0, 120, NP_POS_SUPINE};
	fx->ep[1] = (struct np_episode){120, 200, NP_POS_PRONE};
	fx->ep[2] = (struct np_episode){200, 230, NP_POS_UNKNOWN};
	fx->ep[3] = (struct np_episode){230, 600, NP_POS_LEFT};
}

static void free_night(struct fixture *fx)
{
	free(fx->night.sensor[0].v);
	free(fx->night.sensor[1].v);
}

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	(void)!system("rm -rf '" OUT_DIR "' && mkdir -p '" OUT_DIR "'");
	return 0;
}

static bool find_annotation(int h, long long n_ann, const char *text, double onset_s,
			    double dur_s)
{
	for (long long i = 0; i < n_ann; i++) {
		struct edf_annotation_struct a;
		assert_int_equal(edf_get_annotation(h, (int)i, &a), 0);
		if (strcmp(a.annotation, text) == 0 &&
		    fabs((double)a.onset / EDFLIB_TIME_DIMENSION - onset_s) < 1e-3 &&
		    (dur_s < 0 ? a.duration_l < 0
			       : fabs((double)a.duration_l / EDFLIB_TIME_DIMENSION - dur_s) < 1e-3))
			return true;
	}
	return false;
}

/* Only the target, no temporary leftovers. */
static size_t files_in_out_dir(void)
{
	DIR *d = opendir(OUT_DIR);
	assert_non_null(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void test_edf_reads_back_exactly(void **state)
{
	(void)state;
	struct fixture fx;
	make_night(&fx, 25000, 1000, false);
	struct np_export_opts o;
	np_export_opts_default(&o);
	o.episodes = fx.ep;
	o.n_episodes = 4;
	struct np_export_info info;
	const char *path = OUT_DIR "/night.edf";
	assert_int_equal(np_export_edf(&fx.night, &o, path, &info), NP_OK);
	assert_false(info.resampled);
	assert_true(info.rate_hz[0] == 25.0);
	assert_int_equal(info.records, 600);
	assert_int_equal(info.samples_gap, 30 * 25);
	assert_int_equal(info.samples_exact, 570 * 25);

	struct edf_hdr_struct hdr;
	assert_int_equal(edfopen_file_readonly(path, &hdr, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	int h = hdr.handle;
	assert_int_equal(hdr.filetype, EDFLIB_FILETYPE_EDFPLUS);
	assert_int_equal(hdr.edfsignals, 4);
	assert_int_equal(hdr.startdate_year, 2026);
	assert_int_equal(hdr.startdate_month, 11);
	assert_int_equal(hdr.startdate_day, 23);
	assert_int_equal(hdr.starttime_hour, 22);
	assert_int_equal(hdr.starttime_minute, 30);
	assert_true(hdr.file_duration == 600 * EDFLIB_TIME_DIMENSION);
	static const char *const labels[] = {"Chest X", "Chest Y", "Chest Z", "Position"};
	for (int s = 0; s < 4; s++) {
		char label[17];
		snprintf(label, sizeof label, "%s", hdr.signalparam[s].label);
		for (int k = (int)strlen(label) - 1; k >= 0 && label[k] == ' '; k--)
			label[k] = '\0';
		assert_string_equal(label, labels[s]);
	}
	assert_true(strncmp(hdr.signalparam[0].physdimension, "g", 1) == 0);
	assert_int_equal(hdr.signalparam[0].smp_in_datarecord, 25);
	assert_int_equal(hdr.signalparam[3].smp_in_datarecord, 1);

	/* Every acceleration sample: device counts exactly, gaps as 0 g. */
	double *buf = (double *)malloc(15000 * sizeof *buf);
	assert_non_null(buf);
	for (int axis = 0; axis < 3; axis++) {
		assert_int_equal(edfread_physical_samples(h, axis, 15000, buf), 15000);
		for (size_t i = 0; i < 15000; i++) {
			double t = (double)i / 25.0;
			double want = (t >= 200 && t < 230) ? 0.0 : pattern(i, axis) / 1000.0;
			if (fabs(buf[i] - want) > 1e-9)
				fail_msg("axis %d sample %zu: %.9f, want %.9f", axis, i, buf[i], want);
		}
	}
	assert_int_equal(edfread_physical_samples(h, 3, 600, buf), 600);
	assert_true(buf[0] == NP_POS_SUPINE && buf[119] == NP_POS_SUPINE);
	assert_true(buf[120] == NP_POS_PRONE && buf[199] == NP_POS_PRONE);
	assert_true(buf[215] == NP_POS_UNKNOWN);
	assert_true(buf[230] == NP_POS_LEFT && buf[599] == NP_POS_LEFT);
	free(buf);

	long long na = hdr.annotations_in_file;
	assert_int_equal(na, 7);
	assert_true(find_annotation(h, na, "Position: supine", 0, 120));
	assert_true(find_annotation(h, na, "Position: prone", 120, 80));
	assert_true(find_annotation(h, na, "Position: unknown", 200, 30));
	assert_true(find_annotation(h, na, "Position: left", 230, 370));
	assert_true(find_annotation(h, na, "Device alert: prone, level 1", 100, 60));
	assert_true(find_annotation(h, na, "Gap: no data", 200, 30));
	assert_true(find_annotation(h, na, "Note: simulated breathing 14.0 bpm", 0, 300));
	/* Time order in the file. */
	long long prev = -1;
	for (long long i = 0; i < na; i++) {
		struct edf_annotation_struct a;
		edf_get_annotation(h, (int)i, &a);
		assert_true(a.onset >= prev);
		prev = a.onset;
	}
	edfclose_file(h);
	assert_int_equal(files_in_out_dir(), 1);
	free_night(&fx);
}

/* 12.5 Hz needs 2 s records; LIS3DH-like 256 counts per g still read back exactly. */
static void test_edf_fractional_rate(void **state)
{
	(void)state;
	struct fixture fx;
	make_night(&fx, 12500, 256, true);
	struct np_export_opts o;
	np_export_opts_default(&o);
	struct np_export_info info;
	const char *path = OUT_DIR "/frac.edf";
	assert_int_equal(np_export_edf(&fx.night, &o, path, &info), NP_OK);
	assert_true(info.record_s == 2);
	assert_false(info.resampled);

	struct edf_hdr_struct hdr;
	assert_int_equal(edfopen_file_readonly(path, &hdr, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	assert_int_equal(hdr.edfsignals, 7); /* chest, leg, position */
	assert_int_equal(hdr.signalparam[0].smp_in_datarecord, 25);
	assert_int_equal(hdr.signalparam[6].smp_in_datarecord, 2);
	assert_true(hdr.datarecord_duration == 2 * EDFLIB_TIME_DIMENSION);
	assert_true(strncmp(hdr.signalparam[3].label, "Leg X", 5) == 0);
	double buf[100];
	assert_int_equal(edfread_physical_samples(hdr.handle, 5, 100, buf), 100);
	for (size_t i = 0; i < 100; i++)
		if (fabs(buf[i] - pattern(i, 2) / 256.0) > 1e-9)
			fail_msg("%zu: %f want %f", i, buf[i], pattern(i, 2) / 256.0);
	edfclose_file(hdr.handle);
	free_night(&fx);
}

/* Irregular input (RFID-like): resampled onto a whole-Hz grid, and the file says so. */
static void test_edf_irregular_is_resampled(void **state)
{
	(void)state;
	struct fixture fx;
	make_night(&fx, 20000, 1000, false);
	struct np_night *n = &fx.night;
	n->header.hello.rate_millihz = 0;
	/* Jitter every time by up to +-40 % of a period. */
	for (size_t i = 0; i < n->sensor[0].n; i++)
		n->sensor[0].v[i].t_s += 0.02 * sin((double)i * 1.7);
	struct np_export_opts o;
	np_export_opts_default(&o);
	struct np_export_info info;
	const char *path = OUT_DIR "/irregular.edf";
	assert_int_equal(np_export_edf(n, &o, path, &info), NP_OK);
	assert_true(info.resampled);
	assert_true(info.samples_interpolated > 0);
	assert_true(info.rate_hz[0] == 20.0);

	struct edf_hdr_struct hdr;
	assert_int_equal(edfopen_file_readonly(path, &hdr, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	assert_true(find_annotation(hdr.handle, hdr.annotations_in_file,
				    "Resampled to 20 Hz (irregular input)", 0, -1));
	assert_true(strstr(hdr.signalparam[0].prefilter, "resampled") != NULL);
	/* Interpolated values stay between their neighbours' values (within a count). */
	double buf[1000];
	assert_int_equal(edfread_physical_samples(hdr.handle, 0, 1000, buf), 1000);
	for (size_t i = 1; i + 1 < 1000; i++) {
		double lo = fmin(pattern(i - 1, 0), fmin(pattern(i, 0), pattern(i + 1, 0))) / 1000.0;
		double hi = fmax(pattern(i - 1, 0), fmax(pattern(i, 0), pattern(i + 1, 0))) / 1000.0;
		assert_true(buf[i] >= lo - 0.0015 && buf[i] <= hi + 0.0015);
	}
	edfclose_file(hdr.handle);
	free_night(&fx);
}

/* With a calibration the channels are in the body frame and named so. */
static void test_edf_body_frame(void **state)
{
	(void)state;
	struct fixture fx;
	make_night(&fx, 25000, 1000, false);
	struct np_export_opts o;
	np_export_opts_default(&o);
	/* Sensor worn upside down along x: body = (-x, -y, z). */
	o.frame[0].body = true;
	o.frame[0].r.m[0][0] = -1;
	o.frame[0].r.m[1][1] = -1;
	const char *path = OUT_DIR "/body.edf";
	assert_int_equal(np_export_edf(&fx.night, &o, path, NULL), NP_OK);
	struct edf_hdr_struct hdr;
	assert_int_equal(edfopen_file_readonly(path, &hdr, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	assert_true(strncmp(hdr.signalparam[0].label, "Chest sup ", 10) == 0);
	assert_true(strncmp(hdr.signalparam[2].label, "Chest ant ", 10) == 0);
	double x[50], z[50];
	assert_int_equal(edfread_physical_samples(hdr.handle, 0, 50, x), 50);
	assert_int_equal(edfread_physical_samples(hdr.handle, 2, 50, z), 50);
	for (size_t i = 0; i < 50; i++) {
		assert_true(fabs(x[i] + pattern(i, 0) / 1000.0) < 1e-9);
		assert_true(fabs(z[i] - pattern(i, 2) / 1000.0) < 1e-9);
	}
	edfclose_file(hdr.handle);
	free_night(&fx);
}

static void test_edf_failure_leaves_nothing(void **state)
{
	(void)state;
	struct fixture fx;
	make_night(&fx, 25000, 1000, false);
	struct np_export_opts o;
	np_export_opts_default(&o);
	assert_int_equal(np_export_edf(&fx.night, &o, OUT_DIR "/missing-dir/x.edf", NULL), NP_ERR_IO);
	struct np_night empty = fx.night;
	empty.sensor[0].n = 0;
	assert_int_equal(np_export_edf(&empty, &o, OUT_DIR "/empty.edf", NULL), NP_ERR_FORMAT);
	assert_int_equal(access(OUT_DIR "/empty.edf", F_OK), -1);
	free_night(&fx);
}

/* Files in OUT_DIR whose name starts with prefix. */
static int count_prefixed(const char *prefix)
{
	int n = 0;
	DIR *d = opendir(OUT_DIR);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/* EDFlib ignores failed writes: a full disk (here the file size limit) used to give
 * NP_OK and a cut-short file under the final name. */
static void test_edf_short_write_is_an_error(void **state)
{
	(void)state;
	struct fixture fx;
	make_night(&fx, 25000, 1000, false);
	struct np_export_opts o;
	np_export_opts_default(&o);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 4096, 4096 };
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(20);
		_exit(np_export_edf(&fx.night, &o, OUT_DIR "/full.edf", NULL) == NP_ERR_IO ? 0 : 21);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(count_prefixed("full.edf"), 0);
	free_night(&fx);
}

static void test_csv(void **state)
{
	(void)state;
	struct fixture fx;
	make_night(&fx, 25000, 256, true);
	struct np_export_opts o;
	np_export_opts_default(&o);
	const char *path = OUT_DIR "/samples.csv";
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(np_export_csv(&fx.night, &o, f), NP_OK);
	fclose(f);

	f = fopen(path, "r");
	assert_non_null(f);
	char line[256];
	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "time_s,x_g,y_g,z_g,x2_g,y2_g,z2_g\n");
	size_t rows = 0;
	while (fgets(line, sizeof line, f)) {
		double t, v[6];
		assert_int_equal(sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf,%lf", &t, &v[0], &v[1], &v[2],
					&v[3], &v[4], &v[5]),
				 7);
		size_t i = (size_t)llround(t * 25.0);
		for (int a = 0; a < 3; a++) {
			assert_true(v[a] == pattern(i, a) / 256.0);
			assert_true(v[3 + a] == pattern(i, a) / 256.0);
		}
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, fx.night.sensor[0].n);
	free_night(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edf_reads_back_exactly),
		cmocka_unit_test(test_edf_fractional_rate),
		cmocka_unit_test(test_edf_irregular_is_resampled),
		cmocka_unit_test(test_edf_body_frame),
		cmocka_unit_test(test_edf_failure_leaves_nothing),
		cmocka_unit_test(test_edf_short_write_is_an_error),
		cmocka_unit_test(test_csv),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
