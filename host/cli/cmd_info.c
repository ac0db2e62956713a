/* nightpose info: what a recording holds, from its header and a full read. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "np_err.h"
#include "np_epochs.h"
#include "np_fmt.h"
#include "np_json.h"
#include "np_night.h"
#include "np_night_cal.h"
#include "np_report.h"

static const char usage[] =
	"usage: nightpose info NIGHT.npr [--format text|json]\n"
	"\n"
	"Describes a recording: the device, when it was made, start and duration,\n"
	"sensors and samples, the sensor offset/gain autocalibration that the\n"
	"analysis will apply (or why not, with the error in mg), gaps, lost and\n"
	"corrupted frames, device resets and annotations. The whole file is read,\n"
	"so damage anywhere is reported.\n"
	"\n"
	"options:\n"
	"  --format text|json  output format (default text; json: one object)\n"
	"  -h, --help          this help\n"
	"\n"
	"exit codes: 0 ok, 1 read error, 2 bad usage, missing file, not a recording\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_info = {
	.name = "info",
	.summary = "describe a recording (.npr)",
	.usage = usage,
	.run = run,
};

/* Total time per ground-truth label; "lying" for labels that do not give the side. */
struct label_total {
	const char *name;
	unsigned count;
	double seconds;
};

struct summary {
	struct label_total labels[NP_POS_COUNT + 1];
	unsigned n_labels, n_label_ann;
	unsigned notes;
	double gap_s;
	struct np_autocal autocal[NP_SENSORS_MAX];
};

static const char *label_name(const struct np_night_annotation *a)
{
	if (a->kind == NP_ANN_LABEL_LYING)
		return "lying";
	return a->kind == NP_ANN_LABEL ? np_position_name(a->position) : NULL;
}

static int summarise(const struct np_night *n, struct summary *s)
{
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < n->n_gaps; i++)
		s->gap_s += n->gaps[i].end_s - n->gaps[i].start_s;
	for (size_t i = 0; i < n->n_ann; i++) {
		const struct np_night_annotation *a = &n->ann[i];
		const char *name = label_name(a);
		unsigned k;

		if (!name) {
			s->notes++;
			continue;
		}
		for (k = 0; k < s->n_labels && strcmp(s->labels[k].name, name) != 0; k++)
			;
		if (k == s->n_labels) {
			s->labels[k].name = name;
			s->n_labels++;
		}
		s->n_label_ann++;
		s->labels[k].count++;
		s->labels[k].seconds += a->end_s - a->start_s;
	}
	/* What `epochs` and `report` will apply to each sensor's raw values. */
	for (unsigned i = 0; i < n->sensor_count && i < NP_SENSORS_MAX; i++) {
		int rc = np_night_autocal(n, i, &s->autocal[i]);
		if (rc != NP_OK)
			return rc;
	}
	return NP_OK;
}

static const char *model_name(uint8_t m)
{
	switch (m) {
	case NP_SENSOR_LIS3DH: return "LIS3DH";
	case NP_SENSOR_SIMULATED: return "simulated";
	case NP_SENSOR_IMPORTED: return "imported";
	default: return "unknown";
	}
}

static const char *reset_name(uint8_t r)
{
	switch (r) {
	case NP_RESET_POWER_ON: return "power-on";
	case NP_RESET_PIN: return "reset pin";
	case NP_RESET_WATCHDOG: return "watchdog";
	case NP_RESET_SOFTWARE: return "software";
	case NP_RESET_FAULT: return "fault";
	case NP_RESET_BROWNOUT: return "brown-out";
	default: return "unknown";
	}
}

static const char *sensor_name(unsigned i)
{
	return i == 0 ? "chest" : "second";
}

/* "2026-11-24T22:03:11.123Z", or "unknown" when the recording has no date (0). */
static void iso_utc(double unix_s, char *out, size_t cap)
{
	double whole = floor(unix_s);
	time_t t = (time_t)whole;
	unsigned ms = (unsigned)((unix_s - whole) * 1000.0) % 1000u;
	struct tm tm;
	size_t len;

	if (!(unix_s > 0)) {
		snprintf(out, cap, "unknown");
		return;
	}
	if (!gmtime_r(&t, &tm) || (len = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
		snprintf(out, cap, "?");
		return;
	}
	snprintf(out + len, cap - len, ".%03uZ", ms);
}

static const char *flags_text(uint16_t flags)
{
	if (flags & NP_REC_IMPORTED)
		return " (imported)";
	if (flags & NP_REC_SIMULATED)
		return " (simulated)";
	return "";
}

static void print_text(const char *path, const struct np_night *n, const struct summary *s)
{
	const struct np_hello *h = &n->header.hello;
	const struct np_rec_stats *st = &n->stats;
	char created[32], start[32], dur[32], ac[160];

	iso_utc((double)n->header.created_utc_ms / 1000.0, created, sizeof created);
	iso_utc(n->start_utc_s, start, sizeof start);
	np_fmt_hms(n->duration_s, dur, sizeof dur);
	printf("file:         %s\n", path);
	printf("format:       nightpose recording v%u%s\n", n->header.version,
	       flags_text(n->header.flags));
	char src[NP_FMT_PRINTABLE_CAP(sizeof n->header.source)];
	char ser[NP_FMT_PRINTABLE_CAP(sizeof h->serial)];
	if (n->header.source[0])
		printf("source:       %s\n", np_fmt_printable(n->header.source, src, sizeof src));
	printf("device:       serial %s, firmware %u.%u.%u, protocol %u, reset: %s\n",
	       h->serial[0] ? np_fmt_printable(h->serial, ser, sizeof ser) : "-", h->fw_major, h->fw_minor, h->fw_patch,
	       h->protocol_version, reset_name(h->reset_reason));
	printf("sensor:       %s, +-%u g, ", model_name(h->sensor_model), h->range_g);
	if (h->rate_millihz)
		printf("%g Hz", h->rate_millihz / 1000.0);
	else
		printf("irregular rate");
	printf(", %u counts/g, clock %u Hz\n", h->lsb_per_g, h->tick_hz);
	printf("created:      %s\n", created);
	if (n->start_utc_s > 0)
		printf("start:        %s\n", start);
	else
		printf("start:        unknown (no date in the recording: times are from the first sample)\n");
	printf("duration:     %s (%.1f s)\n", dur, n->duration_s);
	printf("sensors:      %u\n", n->sensor_count);
	for (unsigned i = 0; i < n->sensor_count; i++) {
		printf("  %-10s %zu samples\n", sensor_name(i), n->sensor[i].n);
		np_autocal_describe(&s->autocal[i], ac, sizeof ac);
		printf("  %-10s autocalibration %s\n", "", ac);
	}
	printf("gaps:         %zu (%.1f s)\n", n->n_gaps, s->gap_s);
	printf("frames:       %u lost, %llu corrupted, %u duplicated\n", st->device.frames_missed,
	       (unsigned long long)st->corrupt_records, st->device.duplicates);
	printf("resets:       %u\n", n->device_resets);
	printf("clock jumps:  %u\n", n->clock_jumps);
	printf("torn tail:    %llu bytes\n", (unsigned long long)st->torn_tail_bytes);
	printf("annotations:  %zu (labels %u, notes %u)\n", n->n_ann, s->n_label_ann, s->notes);
	for (unsigned k = 0; k < s->n_labels; k++)
		printf("  %-10s %u, %.1f s\n", s->labels[k].name, s->labels[k].count, s->labels[k].seconds);
	printf("events:       %zu\n", n->n_events);
}

static cJSON *json_of(const char *path, const struct np_night *n, const struct summary *s)
{
	const struct np_hello *h = &n->header.hello;
	const struct np_rec_stats *st = &n->stats;
	char created[32], start[32], fw[16];
	cJSON *o = cJSON_CreateObject(), *dev, *sens, *gaps, *frames, *ann, *labels;

	iso_utc((double)n->header.created_utc_ms / 1000.0, created, sizeof created);
	iso_utc(n->start_utc_s, start, sizeof start);
	snprintf(fw, sizeof fw, "%u.%u.%u", h->fw_major, h->fw_minor, h->fw_patch);
	cJSON_AddStringToObject(o, "file", path);
	cJSON_AddNumberToObject(o, "format_version", n->header.version);
	cJSON_AddBoolToObject(o, "imported", (n->header.flags & NP_REC_IMPORTED) != 0);
	cJSON_AddBoolToObject(o, "simulated", (n->header.flags & NP_REC_SIMULATED) != 0);
	cJSON_AddStringToObject(o, "source", n->header.source);
	dev = cJSON_AddObjectToObject(o, "device");
	cJSON_AddStringToObject(dev, "serial", h->serial);
	cJSON_AddStringToObject(dev, "firmware", fw);
	cJSON_AddNumberToObject(dev, "protocol_version", h->protocol_version);
	cJSON_AddStringToObject(dev, "sensor_model", model_name(h->sensor_model));
	cJSON_AddNumberToObject(dev, "range_g", h->range_g);
	np_json_add_number(dev, "rate_hz", h->rate_millihz / 1000.0, NP_JSON_HZ);
	cJSON_AddNumberToObject(dev, "lsb_per_g", h->lsb_per_g);
	cJSON_AddNumberToObject(dev, "tick_hz", h->tick_hz);
	cJSON_AddStringToObject(dev, "reset_reason", reset_name(h->reset_reason));
	if (n->header.created_utc_ms != 0)
		cJSON_AddStringToObject(o, "created_utc", created);
	else
		cJSON_AddNullToObject(o, "created_utc");
	if (n->start_utc_s > 0)
		cJSON_AddStringToObject(o, "start_utc", start);
	else
		cJSON_AddNullToObject(o, "start_utc");
	np_json_add_number(o, "duration_s", n->duration_s, NP_JSON_S);
	sens = cJSON_AddArrayToObject(o, "sensors");
	for (unsigned i = 0; i < n->sensor_count; i++) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddNumberToObject(x, "id", i);
		cJSON_AddStringToObject(x, "name", sensor_name(i));
		cJSON_AddNumberToObject(x, "samples", (double)n->sensor[i].n);
		cJSON_AddItemToObject(x, "autocalibration", np_calfile_autocal_json(&s->autocal[i]));
		cJSON_AddItemToArray(sens, x);
	}
	gaps = cJSON_AddObjectToObject(o, "gaps");
	cJSON_AddNumberToObject(gaps, "count", (double)n->n_gaps);
	np_json_add_number(gaps, "total_s", s->gap_s, NP_JSON_S);
	frames = cJSON_AddObjectToObject(o, "frames");
	cJSON_AddNumberToObject(frames, "records", (double)st->records);
	cJSON_AddNumberToObject(frames, "lost", st->device.frames_missed);
	cJSON_AddNumberToObject(frames, "corrupted", (double)st->corrupt_records);
	cJSON_AddNumberToObject(frames, "duplicated", st->device.duplicates);
	cJSON_AddNumberToObject(o, "device_resets", n->device_resets);
	cJSON_AddNumberToObject(o, "clock_jumps", n->clock_jumps);
	cJSON_AddNumberToObject(o, "torn_tail_bytes", (double)st->torn_tail_bytes);
	ann = cJSON_AddObjectToObject(o, "annotations");
	cJSON_AddNumberToObject(ann, "count", (double)n->n_ann);
	cJSON_AddNumberToObject(ann, "label_count", s->n_label_ann);
	cJSON_AddNumberToObject(ann, "notes", s->notes);
	labels = cJSON_AddArrayToObject(ann, "labels");
	for (unsigned k = 0; k < s->n_labels; k++) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "label", s->labels[k].name);
		cJSON_AddNumberToObject(x, "count", s->labels[k].count);
		np_json_add_number(x, "total_s", s->labels[k].seconds, NP_JSON_S);
		cJSON_AddItemToArray(labels, x);
	}
	cJSON_AddNumberToObject(o, "events", (double)n->n_events);
	return o;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const formats[] = { "text", "json", NULL };
	struct np_night night;
	struct summary sum;
	int format = 0, c, rc;
	const char *path;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = np_cli_choice(optarg, formats);
			if (format < 0)
				return np_cli_usage_error(&np_cmd_info, "--format: expected text or json, not '%s'",
							  optarg);
			break;
		default:
			return np_cli_option_error(&np_cmd_info, c, argv);
		}
	}
	if (argc - optind != 1)
		return np_cli_usage_error(&np_cmd_info, argc == optind ? "missing recording file" :
									 "expected one recording file");
	path = argv[optind];
	errno = 0;
	char why[160];
	rc = np_night_load_why(path, &night, why, sizeof why);
	if (rc == NP_ERR_RANGE && why[0]) {
		np_cli_error(path, "%s", why);
		return NP_EXIT_USAGE;
	}
	if (rc != NP_OK)
		return np_cli_recording_error(path, rc);
	rc = summarise(&night, &sum);
	if (rc != NP_OK) {
		np_night_free(&night);
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	}
	if (format == 1)
		rc = np_json_line(json_of(path, &night, &sum), stdout);
	else
		print_text(path, &night, &sum);
	np_night_free(&night);
	if (rc != NP_OK)
		return np_cli_fail(rc == NP_ERR_IO ? "standard output" : "info", rc, NP_EXIT_FAILURE);
	return NP_EXIT_OK;
}
