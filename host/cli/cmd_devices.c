/* nightpose devices: the serial ports of this machine, and which are nightpose devices. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "cli_live.h"
#include "np_err.h"
#include "np_transport_serial.h"
#include "np_fmt.h"

static const char usage[] =
	"usage: nightpose devices [--format text|json] [--probe]\n"
	"\n"
	"Lists the serial ports with their USB vendor and product IDs, serial number\n"
	"and product string, so you know which port to give 'nightpose record --port'.\n"
	"Ports with the nightpose USB vendor ID (1209) are marked. With --probe each\n"
	"port is asked for a HELLO (about a second per silent port) and those that\n"
	"answer are marked with the device's serial number and firmware version.\n"
	"\n"
	"options:\n"
	"  --format text|json  output format (default text; json: one object per port\n"
	"                      per line)\n"
	"  --probe             send HELLO to every port and mark those that answer\n"
	"  -h, --help          this help\n"
	"\n"
	"exit codes: 0 ok (also when there are no ports), 1 the ports cannot be listed,\n"
	"            2 bad usage\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_devices = {
	.name = "devices",
	.summary = "list serial ports and nightpose devices",
	.usage = usage,
	.run = run,
};

#define PROBE_MS 1000u

struct row {
	const struct np_port_info *p;
	bool probed, answered;
	struct np_hello hello;
};

static void print_json(const struct row *r)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return;
	const struct np_port_info *p = r->p;
	cJSON_AddStringToObject(o, "path", p->path);
	cJSON_AddStringToObject(o, "description", p->description);
	cJSON_AddBoolToObject(o, "usb", p->usb);
	if (p->usb) {
		char id[8];
		snprintf(id, sizeof id, "%04x", p->vid);
		cJSON_AddStringToObject(o, "vid", id);
		snprintf(id, sizeof id, "%04x", p->pid);
		cJSON_AddStringToObject(o, "pid", id);
		cJSON_AddStringToObject(o, "serial", p->serial);
		cJSON_AddStringToObject(o, "product", p->product);
		cJSON_AddStringToObject(o, "manufacturer", p->manufacturer);
	}
	cJSON_AddBoolToObject(o, "nightpose_vid", p->usb && p->vid == NP_USB_VID);
	if (r->probed) {
		cJSON_AddBoolToObject(o, "answers_hello", r->answered);
		if (r->answered) {
			char fw[16];
			snprintf(fw, sizeof fw, "%u.%u.%u", r->hello.fw_major, r->hello.fw_minor,
				 r->hello.fw_patch);
			cJSON_AddStringToObject(o, "device_serial", r->hello.serial);
			cJSON_AddStringToObject(o, "firmware", fw);
			cJSON_AddNumberToObject(o, "rate_hz", r->hello.rate_millihz / 1000.0);
		}
	}
	char *s = cJSON_PrintUnformatted(o);
	if (s)
		printf("%s\n", s);
	free(s);
	cJSON_Delete(o);
}

static void print_text(const struct row *r)
{
	const struct np_port_info *p = r->p;
	char id[16] = "-";
	if (p->usb)
		snprintf(id, sizeof id, "%04x:%04x", p->vid, p->pid);
	const char *mark = "";
	if (r->answered)
		mark = "nightpose (answers HELLO)";
	else if (p->usb && p->vid == NP_USB_VID)
		mark = "nightpose (USB ID)";
	char ser[NP_FMT_PRINTABLE_CAP(sizeof p->serial)], prod[NP_FMT_PRINTABLE_CAP(sizeof p->product)];
	char desc[NP_FMT_PRINTABLE_CAP(sizeof p->description)];
	char dev[NP_FMT_PRINTABLE_CAP(sizeof r->hello.serial)];
	printf("%-22s %-10s %-18s %-28s %s\n", p->path, id,
	       p->serial[0] ? np_fmt_printable(p->serial, ser, sizeof ser) : "-",
	       p->product[0]       ? np_fmt_printable(p->product, prod, sizeof prod)
	       : p->description[0] ? np_fmt_printable(p->description, desc, sizeof desc)
				   : "-",
	       mark);
	if (r->answered)
		printf("%-22s device %s, firmware %u.%u.%u, %.0f Hz\n", "",
		       np_fmt_printable(r->hello.serial, dev, sizeof dev),
		       r->hello.fw_major, r->hello.fw_minor, r->hello.fw_patch,
		       r->hello.rate_millihz / 1000.0);
}

static int run(int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", NULL };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "probe", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int format = 0, opt;
	bool probe = false;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			format = np_cli_choice(optarg, formats);
			if (format < 0)
				return np_cli_usage_error(&np_cmd_devices, "--format: expected text or json, got '%s'", optarg);
			break;
		case 'p':
			probe = true;
			break;
		case ':':
			return np_cli_usage_error(&np_cmd_devices, "%s needs a value", argv[optind - 1]);
		default:
			return np_cli_usage_error(&np_cmd_devices, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return np_cli_usage_error(&np_cmd_devices, "unexpected argument '%s'", argv[optind]);

	struct np_port_info *ports;
	size_t n;
	int rc = np_serial_list(&ports, &n);
	if (rc != NP_OK)
		return np_cli_fail("devices", rc, NP_EXIT_FAILURE);
	if (format == 0) {
		if (n == 0)
			printf("no serial ports found: plug the device in (a USB nightpose shows up as "
			       "/dev/ttyACM0 or similar)\n");
		else
			printf("%-22s %-10s %-18s %-28s %s\n", "PORT", "VID:PID", "SERIAL", "PRODUCT", "");
	}
	for (size_t i = 0; i < n; i++) {
		struct row r = { .p = &ports[i] };
		if (probe) {
			r.probed = true;
			r.answered = np_cli_probe(ports[i].path, PROBE_MS, &r.hello) == NP_OK;
		}
		if (format == 1)
			print_json(&r);
		else
			print_text(&r);
		fflush(stdout);
	}
	free(ports);
	return NP_EXIT_OK;
}
