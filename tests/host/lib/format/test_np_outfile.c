/* Output files: whole or nothing for regular files, written into devices and FIFOs. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_outfile.h"
#include "rec_fixture.h"

static void expect_fifo(const struct fx_ctx *c)
{
	struct stat st;

	assert_int_equal(stat(c->path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(fx_count_entries(c->dir), 1); /* no temporary file left */
}

static void test_regular_file_whole_or_nothing(void **state)
{
	struct fx_ctx *c = *state;
	struct np_outfile of;
	size_t len;

	assert_int_equal(np_outfile_open(&of, c->path), NP_OK);
	fputs("half", of.fp);
	np_outfile_abort(&of);
	assert_int_equal(fx_count_entries(c->dir), 0);

	assert_int_equal(np_outfile_open(&of, c->path), NP_OK);
	fputs("whole", of.fp);
	assert_int_equal(fx_count_entries(c->dir), 1); /* only the temporary file */
	assert_int_equal(np_outfile_commit(&of), NP_OK);
	uint8_t *data = fx_read(c->path, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(data, "whole", 5);
	free(data);
	assert_false(np_outfile_is_special(c->path));
	assert_false(np_outfile_is_special(c->dir));
}

/* "-o /dev/null" or a pipe: renaming over it would replace the device or FIFO with
 * a plain file (for every program on the machine, in the case of /dev/null). */
static void test_fifo_is_written_into(void **state)
{
	struct fx_ctx *c = *state;
	struct np_outfile of;
	char buf[64];

	assert_int_equal(mkfifo(c->path, 0600), 0);
	assert_true(np_outfile_is_special(c->path));
	int rd = open(c->path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);

	assert_int_equal(np_outfile_open(&of, c->path), NP_OK);
	fputs("epochs\n", of.fp);
	assert_int_equal(np_outfile_commit(&of), NP_OK);
	assert_int_equal(read(rd, buf, sizeof buf), 7);
	assert_memory_equal(buf, "epochs\n", 7);
	expect_fifo(c);

	assert_int_equal(np_outfile_open(&of, c->path), NP_OK);
	np_outfile_abort(&of);
	expect_fifo(c);

	/* Writers that need a file name (EDFlib, PLplot) get a copy on success. */
	char *tmp = np_outfile_tmp_name(c->path);
	assert_non_null(tmp);
	fx_write(tmp, "plot", 4);
	assert_int_equal(np_outfile_rename_into_place(tmp, c->path), NP_OK);
	free(tmp);
	assert_int_equal(read(rd, buf, sizeof buf), 4);
	assert_memory_equal(buf, "plot", 4);
	expect_fifo(c);
	close(rd);
}

/* Outputs get 0666 less the umask (as fopen() would give), and the umask stays as it was:
 * the temporary file is created with that mode instead of being chmod-ed afterwards. */
static void test_mode_follows_umask(void **state)
{
	struct fx_ctx *c = *state;
	static const mode_t masks[] = { 022, 027 };
	struct np_outfile of;
	struct stat st;

	for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
		mode_t old = umask(masks[m]);
		assert_int_equal(np_outfile_open(&of, c->path), NP_OK);
		assert_int_equal(np_outfile_commit(&of), NP_OK);
		char *tmp = np_outfile_tmp_name(c->path);
		assert_non_null(tmp);
		assert_int_equal(stat(tmp, &st), 0);
		assert_int_equal(umask(old), masks[m]);
		assert_int_equal(st.st_mode & 0777, 0666 & ~masks[m]);
		assert_int_equal(np_outfile_rename_into_place(tmp, c->path), NP_OK);
		free(tmp);
		assert_int_equal(stat(c->path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0666 & ~masks[m]);
		assert_int_equal(unlink(c->path), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_regular_file_whole_or_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_fifo_is_written_into, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mode_follows_umask, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
