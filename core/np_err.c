#include "np_err.h"

const char *np_strerror(int err)
{
	switch (err) {
	case NP_OK: return "success";
	case NP_ERR_ARG: return "invalid argument";
	case NP_ERR_IO: return "input/output error";
	case NP_ERR_TIMEOUT: return "timed out";
	case NP_ERR_FRAME: return "corrupted frame";
	case NP_ERR_NOSPACE: return "buffer too small";
	case NP_ERR_NODEV: return "no such device";
	case NP_ERR_NOMEM: return "out of memory";
	case NP_ERR_UNSUPP: return "not supported";
	case NP_ERR_FORMAT: return "unrecognised format";
	case NP_ERR_VERSION: return "unsupported version";
	case NP_ERR_AGAIN: return "more input needed";
	case NP_ERR_EOF: return "end of input";
	case NP_ERR_RANGE: return "value out of range";
	}
	return "unknown error";
}
