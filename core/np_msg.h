/*
 * Messages of the nightpose wire protocol: payload encoders and decoders on
 * caller-owned buffers. Byte layouts are in docs/PROTOCOL.md, one table each.
 * Encoders return NP_OK and the payload length in *out_len, NP_ERR_NOSPACE when
 * cap is too small, NP_ERR_RANGE when a field is out of range (e.g. count).
 * Decoders return NP_OK, or NP_ERR_FRAME when the payload length does not fit the
 * message (too short, or a count or text length that disagrees with the length).
 * Decoders accept longer payloads than they know only where the layout says so.
 */
#ifndef NIGHTPOSE_CORE_NP_MSG_H
#define NIGHTPOSE_CORE_NP_MSG_H

#include <stddef.h>
#include <stdint.h>

#define NP_PROTOCOL_VERSION 1u

enum np_msg_type {
	NP_MSG_HELLO = 0x01,
	NP_MSG_SAMPLES = 0x02,
	NP_MSG_STATUS = 0x03,
	NP_MSG_EVENT = 0x04,
	NP_MSG_ANNOTATION = 0x05, /* recordings only */
	NP_MSG_COMMAND = 0x10,    /* host -> device */
	NP_MSG_ACK = 0x11,        /* device -> host */
};

enum np_sensor_model {
	NP_SENSOR_UNKNOWN = 0,
	NP_SENSOR_LIS3DH = 1,
	NP_SENSOR_SIMULATED = 2, /* nightpose simulate, or the QEMU board's built-in night */
	NP_SENSOR_IMPORTED = 3,  /* converted from a dataset by nightpose import */
};

enum np_reset_reason {
	NP_RESET_UNKNOWN = 0,
	NP_RESET_POWER_ON = 1,
	NP_RESET_PIN = 2,
	NP_RESET_WATCHDOG = 3,
	NP_RESET_SOFTWARE = 4,
	NP_RESET_FAULT = 5,   /* hard fault handler restarted the device */
	NP_RESET_BROWNOUT = 6,
};

#define NP_SERIAL_LEN 16u
#define NP_HELLO_LEN 34u

struct np_hello {
	uint8_t protocol_version;     /* NP_PROTOCOL_VERSION */
	uint8_t fw_major, fw_minor, fw_patch;
	char serial[NP_SERIAL_LEN + 1]; /* NUL-terminated; NUL-padded on the wire */
	uint8_t sensor_model;         /* enum np_sensor_model */
	uint8_t sensor_count;         /* 1 (chest) or 2 (chest + thigh/ankle) */
	uint8_t range_g;              /* full scale, +-g */
	uint8_t reset_reason;         /* enum np_reset_reason */
	uint32_t rate_millihz;        /* nominal sample rate; 0 = irregular */
	uint16_t lsb_per_g;           /* SAMPLES counts per g (e.g. 1000 for mg) */
	uint32_t tick_hz;             /* device timestamp ticks per second */
};

/* Samples per SAMPLES frame: one second at 100 Hz fits. */
#define NP_SAMPLES_MAX 128u
#define NP_SAMPLES_HEADER_LEN 8u

struct np_sample {
	int16_t x, y, z; /* sensor axes, in counts (see np_hello.lsb_per_g) */
};

struct np_samples {
	uint8_t sensor_id;     /* 0 = chest, 1 = second sensor */
	uint8_t count;         /* 1..NP_SAMPLES_MAX */
	uint16_t period_ticks; /* ticks between consecutive samples in this frame */
	uint32_t first_tick;   /* device tick of s[0]; sample i is at first_tick + i * period_ticks */
	struct np_sample s[NP_SAMPLES_MAX];
};

#define NP_STATUS_LEN 25u
#define NP_BATTERY_UNKNOWN 0u

struct np_status {
	uint32_t uptime_ticks;
	uint32_t fifo_overruns;   /* sensor FIFO overflowed before it was read */
	uint32_t samples_dropped; /* dropped on the device because the link was too slow */
	uint32_t link_rx_errors;  /* bad frames received on the command link */
	uint8_t alert_state;      /* enum np_alert_state */
	uint8_t alert_level;      /* current vibration intensity step, 0 = off */
	uint16_t battery_mv;      /* NP_BATTERY_UNKNOWN if not measured */
	uint8_t flags;            /* NP_STATUS_* bits */
	uint32_t tick;            /* device tick when this status was taken */
};

#define NP_STATUS_STREAMING 0x01u /* sampling and sending SAMPLES */
#define NP_STATUS_SELFTEST_OK 0x02u

enum np_alert_state {
	NP_ALERT_IDLE = 0,     /* disabled, or in the start delay */
	NP_ALERT_ARMED = 1,    /* watching the position */
	NP_ALERT_COUNTING = 2, /* in a position to avoid, not yet long enough */
	NP_ALERT_FIRING = 3,   /* vibrating until the position changes */
};

#define NP_EVENT_LEN 12u

enum np_event_kind {
	NP_EVENT_BUTTON = 1,
	NP_EVENT_ALERT_FIRED = 2,   /* position, level = intensity step, value = seconds in position */
	NP_EVENT_ALERT_CLEARED = 3, /* position left; value = seconds the alert lasted */
	/* Host-originated events, written into recordings by the recorder. */
	NP_EVENT_LINK_LOST = 0x80,
	NP_EVENT_LINK_RESTORED = 0x81,
	NP_EVENT_HOST_ALERT = 0x82, /* the host alerted (bell or vibrate command) */
};

struct np_event {
	uint32_t tick;
	uint8_t kind;     /* enum np_event_kind */
	uint8_t position; /* enum np_position, or NP_POS_UNKNOWN */
	uint8_t level;
	uint8_t reserved;
	uint32_t value;
};

#define NP_ANNOTATION_TEXT_MAX 200u
#define NP_ANNOTATION_HEADER_LEN 11u

enum np_annotation_kind {
	NP_ANN_LABEL = 1, /* ground truth: position holds the 5-class label */
	NP_ANN_NOTE = 2,  /* free text */
	/* Ground truth "lying, side not known" (datasets that only label lying vs not,
	   e.g. UCI "lying", HAPT LAYING); position is NP_POS_UNKNOWN. */
	NP_ANN_LABEL_LYING = 3,
};

struct np_annotation {
	uint32_t start_tick, end_tick; /* half-open [start, end) in device ticks */
	uint8_t kind;                  /* enum np_annotation_kind */
	uint8_t position;              /* enum np_position (NP_POS_UNKNOWN if none) */
	uint8_t text_len;
	char text[NP_ANNOTATION_TEXT_MAX + 1]; /* NUL-terminated; not on the wire */
};

#define NP_COMMAND_LEN 8u

enum np_command_id {
	NP_CMD_START = 1,      /* start sampling and streaming */
	NP_CMD_STOP = 2,
	NP_CMD_SET_RATE = 3,   /* arg16 = rate in Hz: 10, 25, 50, 100 */
	NP_CMD_SET_RANGE = 4,  /* arg8 = full scale in g: 2, 4, 8, 16 */
	NP_CMD_VIBRATE = 5,    /* arg8 = intensity 1..3, arg16 = duration ms, arg32 = pattern bits */
	NP_CMD_IDENTIFY = 6,   /* short recognisable vibration/LED pattern */
	NP_CMD_SELF_TEST = 7,  /* ACK value = bit per axis that passed (bit0 x, bit1 y, bit2 z) */
	NP_CMD_HELLO = 8,      /* send HELLO again */
	NP_CMD_SET_ALERT = 9,  /* arg8 = position mask (1 << np_position), 0 disables;
				  arg16 = seconds in position before alerting;
				  arg32 = start delay in seconds, | NP_ALERT_ARG_ASLEEP to alert
				  only while the wearer is asleep (np_alert.h) */
	NP_CMD_STATUS = 10,    /* send STATUS now */
};

/* SET_ALERT arg32 flag: alert only while the trunk has been still for a while (asleep). */
#define NP_ALERT_ARG_ASLEEP 0x80000000u

struct np_command {
	uint8_t cmd; /* enum np_command_id */
	uint8_t arg8;
	uint16_t arg16;
	uint32_t arg32;
};

#define NP_ACK_LEN 8u

enum np_ack_result {
	NP_ACK_OK = 0,
	NP_ACK_UNSUPPORTED = 1,
	NP_ACK_BAD_ARG = 2,
	NP_ACK_FAILED = 3,
};

struct np_ack {
	uint16_t cmd_seq; /* sequence number of the COMMAND frame being answered */
	uint8_t cmd;
	uint8_t result;   /* enum np_ack_result */
	uint32_t value;
};

/* One encoder and one decoder per message; returns as described at the top of this file. */
int np_hello_encode(const struct np_hello *m, uint8_t *out, size_t cap, size_t *out_len);
int np_hello_decode(const uint8_t *p, size_t len, struct np_hello *m);
int np_samples_encode(const struct np_samples *m, uint8_t *out, size_t cap, size_t *out_len);
int np_samples_decode(const uint8_t *p, size_t len, struct np_samples *m);
int np_status_encode(const struct np_status *m, uint8_t *out, size_t cap, size_t *out_len);
int np_status_decode(const uint8_t *p, size_t len, struct np_status *m);
int np_event_encode(const struct np_event *m, uint8_t *out, size_t cap, size_t *out_len);
int np_event_decode(const uint8_t *p, size_t len, struct np_event *m);
int np_annotation_encode(const struct np_annotation *m, uint8_t *out, size_t cap, size_t *out_len);
int np_annotation_decode(const uint8_t *p, size_t len, struct np_annotation *m);
int np_command_encode(const struct np_command *m, uint8_t *out, size_t cap, size_t *out_len);
int np_command_decode(const uint8_t *p, size_t len, struct np_command *m);
int np_ack_encode(const struct np_ack *m, uint8_t *out, size_t cap, size_t *out_len);
int np_ack_decode(const uint8_t *p, size_t len, struct np_ack *m);

/* Any message, for code that dispatches on the frame type. */
union np_msg_any {
	struct np_hello hello;
	struct np_samples samples;
	struct np_status status;
	struct np_event event;
	struct np_annotation annotation;
	struct np_command command;
	struct np_ack ack;
};

/*
 * Encode or decode the member of m that matches type (enum np_msg_type), with the
 * returns of that message's function; NP_ERR_UNSUPP for an unknown type.
 */
int np_msg_encode(uint8_t type, const union np_msg_any *m, uint8_t *out, size_t cap, size_t *out_len);
int np_msg_decode(uint8_t type, const uint8_t *p, size_t len, union np_msg_any *m);

#endif
