/* Error codes shared by the firmware and the host library. */
#ifndef NIGHTPOSE_CORE_NP_ERR_H
#define NIGHTPOSE_CORE_NP_ERR_H

/*
 * Every function that can fail returns one of these (NP_OK or a negative value).
 * When adding a value, update np_strerror() in core/np_err.c and
 * tests/core/test_np_err.c.
 */
enum np_err {
	NP_OK = 0,
	NP_ERR_ARG = -1,      /* caller bug: NULL, bad length, bad enum */
	NP_ERR_IO = -2,       /* transport or file I/O failed; errno holds the detail */
	NP_ERR_TIMEOUT = -3,
	NP_ERR_FRAME = -4,    /* bad COBS, length or CRC */
	NP_ERR_NOSPACE = -5,  /* caller's buffer too small */
	NP_ERR_NODEV = -6,
	NP_ERR_NOMEM = -7,    /* host only */
	NP_ERR_UNSUPP = -8,
	NP_ERR_FORMAT = -9,   /* input is not in the expected format */
	NP_ERR_VERSION = -10, /* known format, unsupported version */
	NP_ERR_AGAIN = -11,   /* need more input: not an error for streaming readers */
	NP_ERR_EOF = -12,     /* end of input */
	NP_ERR_RANGE = -13,   /* a value is outside what the format or device allows */
};

/* Static English text for an np_err value; never NULL (unknown codes get a generic text). */
const char *np_strerror(int err);

#endif
