#include <stdlib.h>
#include <string.h>

#include "np_array.h"
#include "np_err.h"
#include "np_msg.h"
#include "np_rec_alerts.h"
#include "np_recording.h"

int np_rec_alerts_add(struct np_rec_alerts *l, const struct np_rec_alert *a)
{
	if (l->n >= NP_REC_ALERTS_MAX)
		return NP_OK;
	if (np_array_reserve((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != NP_OK)
		return NP_ERR_NOMEM;
	l->v[l->n++] = *a;
	return NP_OK;
}

bool np_alert_source_of(uint8_t origin, uint8_t kind, enum np_alert_source *source)
{
	if (origin == NP_ORIGIN_HOST && kind == NP_EVENT_HOST_ALERT)
		*source = NP_ALERT_FROM_HOST;
	else if (origin == NP_ORIGIN_DEVICE && kind == NP_EVENT_ALERT_FIRED)
		*source = NP_ALERT_FROM_DEVICE;
	else
		return false;
	return true;
}

/* The alert an entry holds, if it is one. */
static bool entry_alert(const struct np_rec_entry *e, struct np_rec_alert *a)
{
	struct np_event ev;
	if (e->frame.type != NP_MSG_EVENT ||
	    np_event_decode(e->frame.payload, e->frame.len, &ev) != NP_OK)
		return false;
	if (!np_alert_source_of(e->origin, ev.kind, &a->source))
		return false;
	a->host_ms = e->host_ms;
	a->position = ev.position;
	a->level = ev.level;
	return true;
}

int np_rec_alerts_read(const char *path, struct np_rec_alerts *l)
{
	struct np_rec_reader *r;
	struct np_rec_header h;
	memset(l, 0, sizeof *l);
	int rc = np_rec_reader_open(&r, path, &h);
	if (rc != NP_OK)
		return rc;
	struct np_rec_entry e;
	while ((rc = np_rec_reader_next(r, &e)) == NP_OK) {
		struct np_rec_alert a;
		if (entry_alert(&e, &a) && (rc = np_rec_alerts_add(l, &a)) != NP_OK)
			break;
	}
	np_rec_reader_close(r);
	if (rc == NP_ERR_EOF)
		return NP_OK;
	np_rec_alerts_free(l);
	return rc;
}

size_t np_rec_alerts_count(const struct np_rec_alerts *l, enum np_alert_source source)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].source == source;
	return n;
}

bool np_rec_alerts_same_times(const struct np_rec_alerts *a, const struct np_rec_alerts *b,
			      enum np_alert_source source)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < a->n && a->v[i].source != source)
			i++;
		while (j < b->n && b->v[j].source != source)
			j++;
		if (i == a->n || j == b->n)
			return i == a->n && j == b->n;
		if (a->v[i++].host_ms != b->v[j++].host_ms)
			return false;
	}
}

void np_rec_alerts_free(struct np_rec_alerts *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}
