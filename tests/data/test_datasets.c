/*
 * The evaluation protocol of ../shared/datasets/README.md through the library:
 * every sleep-position file at >= 99% 4-class agreement with no prone row missed,
 * and the lying-versus-not agreement reached on UCI S1 and HAPT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "np_dataset_eval.h"
#include "np_err.h"

#define WORK NP_BINARY_DIR "/test_datasets.npr"

static int require_datasets(void **state)
{
	(void)state;
	if (access(NP_SHARED_DATASETS "/MANIFEST.tsv", R_OK) != 0)
		fail_msg("shared datasets missing at %s: these tests need them", NP_SHARED_DATASETS);
	return 0;
}

static void spc_every_file(void **state)
{
	(void)state;
	static struct np_spc_entry e[16];
	size_t n = 0;
	assert_int_equal(np_eval_read_manifest(NP_SHARED_DATASETS, e, 16, &n), NP_OK);
	assert_int_equal(n, 5);
	unsigned tot = 0, ok = 0;
	for (size_t i = 0; i < n; i++) {
		struct np_eval ev;
		assert_int_equal(np_eval_spc(NP_SHARED_DATASETS, &e[i], WORK, &ev, NULL), NP_OK);
		print_message("%s: %u/%u, prone missed %u\n", e[i].file, ev.ok, ev.n, ev.prone_missed);
		assert_true(ev.n > 400);
		assert_true(ev.ok >= 0.99 * ev.n);
		assert_true(ev.prone_n > 100);
		assert_int_equal(ev.prone_missed, 0);
		tot += ev.n;
		ok += ev.ok;
	}
	/* Measured: 2334/2334. */
	assert_true(ok >= 0.995 * tot);
}

static void uci_lying(void **state)
{
	(void)state;
	struct np_eval sum;
	unsigned files;
	assert_int_equal(np_eval_lying_dir(NP_IMPORT_UCI_AR, NP_SHARED_DATASETS "/uci-older-people-rfid/S1_Dataset",
					   "d1p", NULL, WORK, &sum, &files),
			 NP_OK);
	print_message("uci S1: %u files, lying vs not %u/%u\n", files, sum.ok, sum.n);
	assert_int_equal(files, 60);
	/* Measured: 97.3% (sitting on the bed reclined below 45 degrees reads as lying). */
	assert_true(sum.ok >= 0.97 * sum.n);
}

static void hapt_lying(void **state)
{
	(void)state;
	struct np_eval sum;
	unsigned files;
	assert_int_equal(np_eval_lying_dir(NP_IMPORT_HAPT, NP_SHARED_DATASETS "/uci-hapt/data_pl5", "acc_exp",
					   NP_SHARED_DATASETS "/uci-hapt/data_labels/labels.txt", WORK, &sum,
					   &files),
			 NP_OK);
	print_message("hapt: %u files, LAYING vs sitting/standing %u/%u\n", files, sum.ok, sum.n);
	assert_int_equal(files, 5);
	/* Measured: 100%. */
	assert_true(sum.ok >= 0.995 * sum.n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(spc_every_file, require_datasets),
		cmocka_unit_test_setup(uci_lying, require_datasets),
		cmocka_unit_test_setup(hapt_lying, require_datasets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
