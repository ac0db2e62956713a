#include "rec_fixture.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "np_bytes.h"

void fx_header(struct np_rec_header *h)
{
	memset(h, 0, sizeof *h);
	h->version = NP_REC_VERSION;
	h->created_utc_ms = FX_CREATED_MS;
	h->hello.protocol_version = NP_PROTOCOL_VERSION;
	h->hello.fw_major = 1;
	h->hello.fw_minor = 2;
	h->hello.fw_patch = 3;
	strcpy(h->hello.serial, "NP-TEST-0001");
	h->hello.sensor_model = NP_SENSOR_LIS3DH;
	h->hello.sensor_count = 1;
	h->hello.range_g = 2;
	h->hello.reset_reason = NP_RESET_POWER_ON;
	h->hello.rate_millihz = 25000;
	h->hello.lsb_per_g = 1000;
	h->hello.tick_hz = 1000;
	strcpy(h->source, "test fixture");
}

char *fx_tmpdir(void)
{
	static const char tail[] = "/rec-test-XXXXXX";
	char *p = malloc(strlen(NP_BINARY_DIR) + sizeof tail);

	assert_non_null(p);
	strcpy(p, NP_BINARY_DIR);
	strcat(p, tail);
	assert_non_null(mkdtemp(p));
	return p;
}

void fx_path(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);

	assert_true(n > 0 && (size_t)n < cap);
}

void fx_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		fx_path(path, sizeof path, dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
}

int fx_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

uint8_t *fx_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	assert_non_null(f);
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	assert_int_equal(ferror(f), 0);
	fclose(f);
	*len = n;
	return buf;
}

void fx_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

size_t fx_header_len(const uint8_t *file)
{
	return np_get_le16(file + 10);
}

int fx_setup(void **state)
{
	struct fx_ctx *c = calloc(1, sizeof *c);

	assert_non_null(c);
	c->dir = fx_tmpdir();
	fx_path(c->path, sizeof c->path, c->dir, "night.npr");
	*state = c;
	return 0;
}

int fx_teardown(void **state)
{
	struct fx_ctx *c = *state;

	fx_rmdir(c->dir);
	free(c->dir);
	free(c);
	return 0;
}
