/* nightpose import: datasets and plain CSV to recordings (formats: datasets/IMPORT.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "np_err.h"
#include "np_import.h"
#include "np_rec_data.h"

static const char usage[] =
	"usage: nightpose import FORMAT INPUT -o NIGHT.npr [options]\n"
	"\n"
	"Converts a dataset file or a plain CSV file into a recording, with its labels\n"
	"as ground-truth annotations. Formats (columns, axes, labels: datasets/IMPORT.md):\n"
	"  spc     sleep-position-classification CSV: chest and ankle counts, positions 1-12\n"
	"  uci-ar  UCI activity recognition with older people (RFID sternum sensor)\n"
	"  hapt    UCI HAPT acc_expNN_userMM.txt; needs --labels labels.txt\n"
	"  csv     [t,]x,y,z[,x2,y2,z2][,label]: time in seconds, or a fixed --rate;\n"
	"          with a header, columns go by name (t, x, y, z, ax, acc_x, label, ...)\n"
	"\n"
	"options:\n"
	"  -o, --output FILE     recording to write (required)\n"
	"  --rate HZ             rows per second (spc: default 1; hapt: default 50;\n"
	"                        csv: the file has no time column)\n"
	"  --labels FILE         hapt (required): the dataset's labels.txt\n"
	"  --experiment N        hapt: experiment number, when the file name does not tell\n"
	"  --scale g|mg|ms2|counts\n"
	"                        csv: units of the acceleration columns (default g;\n"
	"                        ms2: m/s^2, as phone apps write, 9.80665 per g)\n"
	"  --lsb-per-g N         csv with --scale counts: counts per g\n"
	"  --start TIME          UTC time of the first row, YYYY-MM-DDTHH:MM:SS (default:\n"
	"                        the date in an spc file name, else unknown)\n"
	"  -h, --help            this help\n"
	"\n"
	"A malformed row stops the import with FILE:LINE: column N: reason; nothing is\n"
	"written then. INPUT must be a regular file or a pipe. Notes about an input that\n"
	"imports (repeated times kept, a magnitude far from 1 g) go to stderr as\n"
	"\"import: ...\" and into the recording as NOTE annotations.\n"
	"\n"
	"exit codes: 0 ok, 1 write failure, 2 bad usage or bad input (nothing written)\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_import = {
	.name = "import",
	.summary = "convert a dataset or CSV file into a recording",
	.usage = usage,
	.run = run,
};

enum { OPT_RATE = 256, OPT_LABELS, OPT_EXPERIMENT, OPT_SCALE, OPT_LSB, OPT_START };

struct args {
	enum np_import_format fmt;
	const char *input, *output, *labels;
	struct np_import_opts o;
	bool scale_set, lsb_set;
};

static int check_format_options(const struct args *a);

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "labels", required_argument, NULL, OPT_LABELS },
		{ "experiment", required_argument, NULL, OPT_EXPERIMENT },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "lsb-per-g", required_argument, NULL, OPT_LSB },
		{ "start", required_argument, NULL, OPT_START },
		{ NULL, 0, NULL, 0 },
	};
	/* In enum np_import_scale order. */
	static const char *const scales[] = { "g", "mg", "counts", "ms2", NULL };
	const struct np_cli_cmd *cmd = &np_cmd_import;
	long l;
	int c;

	memset(a, 0, sizeof *a);
	np_import_opts_default(&a->o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			a->output = optarg;
			break;
		case OPT_RATE:
			if (!np_cli_parse_double(optarg, 0.001, 100000.0, &a->o.rate_hz))
				return np_cli_usage_error(cmd, "--rate: expected a rate in Hz, not '%s'",
							  optarg);
			break;
		case OPT_LABELS:
			a->labels = optarg;
			break;
		case OPT_EXPERIMENT:
			if (!np_cli_parse_long(optarg, 1, 100000, &l))
				return np_cli_usage_error(cmd, "--experiment: expected a number, not '%s'",
							  optarg);
			a->o.hapt_experiment = (unsigned)l;
			break;
		case OPT_SCALE: {
			int k = np_cli_choice(optarg, scales);
			if (k < 0)
				return np_cli_usage_error(cmd, "--scale: expected g, mg, ms2 or counts, not '%s'",
							  optarg);
			a->o.scale = (enum np_import_scale)k;
			a->scale_set = true;
			break;
		}
		case OPT_LSB:
			if (!np_cli_parse_long(optarg, 1, 32767, &l))
				return np_cli_usage_error(cmd, "--lsb-per-g: expected 1 to 32767, not '%s'",
							  optarg);
			a->o.lsb_per_g = (unsigned)l;
			a->lsb_set = true;
			break;
		case OPT_START:
			if (np_import_parse_utc(optarg, &a->o.start_utc_ms) != NP_OK)
				return np_cli_usage_error(cmd,
							  "--start: expected YYYY-MM-DDTHH:MM:SS (UTC), "
							  "not '%s'",
							  optarg);
			break;
		default:
			return np_cli_option_error(cmd, c, argv);
		}
	}
	if (argc - optind < 2)
		return np_cli_usage_error(cmd, argc == optind ? "missing FORMAT and INPUT"
							     : "missing INPUT file");
	if (argc - optind > 2)
		return np_cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + 2]);
	if (np_import_format_parse(argv[optind], &a->fmt) != NP_OK)
		return np_cli_usage_error(cmd, "unknown format '%s' (csv, spc, uci-ar or hapt)",
					  argv[optind]);
	a->input = argv[optind + 1];
	if (np_cli_check_recording_output(cmd, a->output) != NP_EXIT_OK)
		return NP_EXIT_USAGE;
	return check_format_options(a);
}

/* Options that only one format understands are mistakes elsewhere, not no-ops. */
static int check_format_options(const struct args *a)
{
	const struct np_cli_cmd *cmd = &np_cmd_import;
	const char *fmt = np_import_format_name(a->fmt);
	if ((a->labels || a->o.hapt_experiment) && a->fmt != NP_IMPORT_HAPT)
		return np_cli_usage_error(cmd, "--labels and --experiment are for hapt, not %s", fmt);
	if (a->fmt == NP_IMPORT_HAPT && !a->labels)
		return np_cli_usage_error(cmd, "hapt needs --labels labels.txt");
	if ((a->scale_set || a->lsb_set) && a->fmt != NP_IMPORT_CSV)
		return np_cli_usage_error(cmd, "--scale and --lsb-per-g are for csv, not %s", fmt);
	if (a->o.scale == NP_SCALE_COUNTS && !a->lsb_set)
		return np_cli_usage_error(cmd, "--scale counts needs --lsb-per-g N");
	if (a->lsb_set && a->o.scale != NP_SCALE_COUNTS)
		return np_cli_usage_error(cmd, "--lsb-per-g goes with --scale counts");
	if (a->o.rate_hz > 0 && a->fmt == NP_IMPORT_UCI_AR)
		return np_cli_usage_error(cmd, "uci-ar keeps the file's own times: no --rate");
	return NP_EXIT_OK;
}

static int report_error(const struct np_import_error *err, int rc)
{
	char where[4096];
	const char *file = err->file ? err->file : "input";

	if (err->line == 0) {
		np_cli_error(file, "%s", err->why[0] ? err->why : np_strerror(rc));
	} else {
		snprintf(where, sizeof where, "%s:%lu", file, err->line);
		if (err->column)
			np_cli_error(where, "column %u: %s", err->column, err->why);
		else
			np_cli_error(where, "%s", err->why);
	}
	/* Out of memory too: the input is what is too large, not a fault of the machine. */
	return NP_EXIT_USAGE;
}

/* What the import noticed without failing: its NOTEs ("import: ...") on stderr. */
static void show_notes(const struct np_rec_data *d)
{
	for (size_t i = 0; i < d->n_ann; i++)
		if (d->ann[i].kind == NP_ANN_NOTE && strncmp(d->ann[i].text, "import: ", 8) == 0)
			fprintf(stderr, "%s\n", d->ann[i].text);
}

static int run(int argc, char **argv)
{
	struct args a;
	struct np_import_error err;
	struct np_rec_data d;

	int code = parse_args(argc, argv, &a);
	if (code != NP_EXIT_OK)
		return code;
	/* Writing over the input would lose it if anything went wrong afterwards. */
	if (np_cli_check_output(&np_cmd_import, "-o", a.output, (const char *[]){ a.input, a.labels }, 2))
		return NP_EXIT_USAGE;
	int rc = np_import_file(a.fmt, a.input, a.labels, &a.o, &d, &err);
	if (rc != NP_OK)
		return report_error(&err, rc);
	show_notes(&d);
	np_cli_tmp_hold(a.output);
	rc = np_rec_data_write(&d, a.output, &np_cli_tmp_watch);
	np_cli_tmp_done();
	int e = errno;
	np_rec_data_free(&d);
	errno = e;
	if (rc != NP_OK)
		return np_cli_fail(a.output, rc, NP_EXIT_FAILURE);
	return NP_EXIT_OK;
}
