/*
 * The live pipeline: bytes from a transport -> frames -> recording file ->
 * live state (position, time per position) -> host alerts, with reconnection.
 *
 * The same object runs `record` (serial transport, a writer, a monotonic
 * clock) and `replay` (file transport, no writer, the recording's host_ms as
 * clock). Every decision (position, alert) is taken only when a frame is
 * processed, at that frame's host_ms, so a replay of a recording takes the
 * same decisions at the same times as the live run that wrote it.
 */
#ifndef NIGHTPOSE_HOST_NP_RECORDER_H
#define NIGHTPOSE_HOST_NP_RECORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "np_alert.h"
#include "np_frame.h"
#include "np_msg.h"
#include "np_posture.h"
#include "np_recording.h"
#include "np_settings.h"
#include "np_transport.h"

/*
 * Alerts follow core/np_alert.h (hold, start delay, escalation), the same
 * engine the firmware runs, on the samples' device time. With
 * NP_ALERT_MODE_VIBRATE the recorder gives the device its settings
 * (SET_ALERT) and the device vibrates by itself; a device that refuses them
 * is told about (NP_NOTE_COMMAND_REFUSED) and then vibrated by VIBRATE
 * commands from the host. With bell and none the device's own alert is off.
 */

struct np_recorder_cfg {
	struct np_live_settings live; /* avoid set, alert rules, mounting (np_settings.h) */
	uint16_t rate_hz;        /* asked of the device at start; 0 keeps its rate */
	bool send_commands;      /* false for replay: never write to the transport */
};

/* Defaults: avoid prone, no alerts, identity mounting, commands on. */
void np_recorder_cfg_default(struct np_recorder_cfg *cfg);

enum np_note_kind {
	NP_NOTE_POSITION = 1,      /* position changed (position) */
	NP_NOTE_ALERT,             /* an alert (position, level, seconds in position) */
	NP_NOTE_ALERT_CLEARED,     /* the wearer left the position (seconds of alerting) */
	NP_NOTE_LINK_LOST,         /* err: why */
	NP_NOTE_LINK_RESTORED,     /* seconds: length of the gap */
	NP_NOTE_DEVICE_REFUSED,    /* a different device answered (hello) */
	NP_NOTE_DEVICE_RESET,      /* the device restarted (hello) */
	NP_NOTE_COMMAND_REFUSED,   /* the device refused cmd (ack_result), or did not answer */
};

/* Something the caller may want to show; pointers are valid during the callback only. */
struct np_note {
	enum np_note_kind kind;
	uint32_t host_ms;
	enum np_position position;
	uint8_t level;
	uint32_t seconds;
	int err;
	const struct np_hello *hello;
	bool from_device;   /* ALERT, ALERT_CLEARED: the device's own alert (an EVENT it sent) */
	uint8_t cmd;        /* COMMAND_REFUSED: enum np_command_id */
	uint8_t ack_result; /* COMMAND_REFUSED: enum np_ack_result; 0xff: no answer */
};

struct np_recorder_hooks {
	/* ms since the recording started (monotonic). Required. */
	uint32_t (*now_ms)(void *ctx);
	/* Reopen the transport after the link was lost: fill *t and return NP_OK,
	 * or an error to be retried a second later. NULL: a lost link ends the run. */
	int (*reopen)(void *ctx, struct np_transport *t);
	/* Optional. Called from inside np_recorder_*(). */
	void (*note)(void *ctx, const struct np_note *n);
	/* Optional: wait ms while the link is down (default: nanosleep). Tests with
	 * a simulated clock advance it here. */
	void (*sleep_ms)(void *ctx, unsigned ms);
	/* Optional: every SAMPLES frame of the chest sensor, in device counts (the
	 * guided calibration reads them). s is valid during the call only. */
	void (*samples)(void *ctx, const struct np_samples *s);
	void *ctx;
};

/* What the recorder has seen; read it any time between calls. */
struct np_live_state {
	uint32_t host_ms;            /* clock at the last frame processed */
	uint64_t samples;            /* samples received, all sensors */
	double rate_hz;              /* chest samples per second over the last window */
	uint32_t device_ms;          /* device time of the last chest sample (host clock at
					the first one, then the samples' ticks) */
	enum np_position position;   /* current position (hysteresis, minimum dwell) */
	uint32_t position_since_ms;  /* device time the wearer entered it */
	double time_in_s[NP_POS_COUNT]; /* seconds of samples per position so far */
	uint32_t alerts;             /* the host's alerts (each repeat counts) */
	uint8_t alert_level;         /* 0 when not alerting */
	uint32_t device_alerts;      /* the device's own alerts (ALERT_FIRED events) */
	bool device_alerting;        /* the device accepted the alert settings and vibrates itself */
	bool link_up;
	uint32_t link_losses;
	uint32_t device_resets;      /* HELLOs from a device that restarted */
	uint32_t refused;            /* times another device answered on reconnect */
	uint32_t frames_lost_link;   /* frames the device sent while the link was down */
	uint32_t device_dropped;     /* samples dropped on the device (last STATUS) */
	uint64_t frames_written;     /* records appended to the recording */
	struct np_frame_stats frames; /* decoder counters */
	struct np_hello hello;       /* the device */
};

/* Frames lost in total: sequence gaps seen by the decoder plus those lost while unplugged. */
uint64_t np_live_frames_lost(const struct np_live_state *s);

struct np_recorder;

/*
 * Create a recorder that owns *t from now on (t is left closed). cfg and
 * hooks are copied. Returns NP_OK, NP_ERR_ARG, NP_ERR_NOMEM (t closed).
 */
int np_recorder_new(struct np_recorder **rec, const struct np_recorder_cfg *cfg,
		    const struct np_recorder_hooks *hooks, struct np_transport *t);

/*
 * Find out who the device is: take a HELLO it sends unasked within 200 ms (it
 * just booted), else ask (NP_CMD_HELLO, repeated every 500 ms); wait up to
 * timeout_ms in all. Frames before the HELLO are discarded.
 * Returns NP_OK with *hello; NP_ERR_TIMEOUT; the transport's errors.
 */
int np_recorder_identify(struct np_recorder *rec, unsigned timeout_ms, struct np_hello *hello);

/*
 * Start: with path, create the recording (header h, renamed into place at
 * once so a crash keeps it); path NULL records nothing (replay). h->hello is
 * the device; with send_commands, ask for rate_hz and START streaming.
 * Returns NP_OK, the writer's errors (NP_ERR_IO with errno), transport errors.
 */
int np_recorder_start(struct np_recorder *rec, const char *path, const struct np_rec_header *h);

/*
 * Read what arrives within timeout_ms and process it. While the link is
 * down, retries hooks->reopen once a second. Returns NP_OK; NP_ERR_EOF (a
 * finite source ended); NP_ERR_IO (writing the recording failed: stop,
 * errno set; what was written is readable); NP_ERR_NODEV (link lost and no
 * reopen hook).
 */
int np_recorder_step(struct np_recorder *rec, unsigned timeout_ms);

const struct np_live_state *np_recorder_state(const struct np_recorder *rec);

/*
 * Stop: ask the device to stop streaming (when commands are on and the link
 * is up), flush and close the recording. Returns the first writer error.
 * Call once; then np_recorder_free().
 */
int np_recorder_stop(struct np_recorder *rec);

/* Close the transport and free. A recording still open is closed (kept). */
void np_recorder_free(struct np_recorder *rec);

/*
 * Ask whatever is on t for a HELLO (np_recorder_identify() on the monotonic
 * clock) and close t. Returns NP_OK with *hello, NP_ERR_TIMEOUT when nothing
 * answered, transport errors.
 */
int np_device_probe(struct np_transport *t, unsigned timeout_ms, struct np_hello *hello);

#endif
