/*
 * read_night: a study's own program on libnightpose. Loads a recording, cuts it
 * into 30-s epochs and prints the time spent in each position.
 *
 *   cc read_night.c $(pkg-config --cflags --libs nightpose) -o read_night
 *   ./read_night /usr/share/nightpose/sample-night.npr
 */
#include <stdio.h>

#include "np_epochs.h"
#include "np_err.h"
#include "np_night.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: read_night NIGHT.npr\n");
		return 2;
	}
	struct np_night night;
	int rc = np_night_load(argv[1], &night);
	if (rc != NP_OK) {
		fprintf(stderr, "read_night: %s: %s\n", argv[1], np_strerror(rc));
		return 1;
	}
	struct np_analysis_cfg cfg;
	np_analysis_cfg_default(&cfg); /* 30-s epochs, default mounting */
	struct np_epochs ep;
	rc = np_epochs_compute(&night, &cfg, &ep);
	np_night_free(&night);
	if (rc != NP_OK) {
		fprintf(stderr, "read_night: %s: %s\n", argv[1], np_strerror(rc));
		return 1;
	}
	double time_s[NP_POS_COUNT] = { 0 };
	for (size_t i = 0; i < ep.n; i++)
		time_s[ep.v[i].position] += ep.v[i].end_s - ep.v[i].start_s;
	printf("%zu epochs of %g s\n", ep.n, ep.epoch_s);
	for (int p = 0; p < NP_POS_COUNT; p++)
		printf("%-8s %8.1f min\n", np_position_name((enum np_position)p), time_s[p] / 60.0);
	np_epochs_free(&ep);
	return 0;
}
