/* snapdir.h: a scratch recording directory for Check tests: made per test, filled file by file, removed after (test layer) */
#pragma once

#include <check.h>
#include <ftw.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "check-run.h"

/* The directory of the running test (set up by snapdir_setup, a checked fixture). */
static char *snapdir;

static int snapdir_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void snapdir_setup(void)
{
	snapdir = g_dir_make_tmp("memps-check-XXXXXX", NULL);
	ck_assert_ptr_nonnull(snapdir);
}

static void snapdir_teardown(void)
{
	nftw(snapdir, snapdir_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	g_free(snapdir);
}

/* Writes REL (below the directory, parents made) with CONTENT. */
static void put(const char *rel, const char *content)
{
	g_autofree char *path = g_build_filename(snapdir, rel, NULL);
	g_autofree char *dir = g_path_get_dirname(path);

	ck_assert_int_eq(g_mkdir_with_parents(dir, 0755), 0);
	ck_assert(g_file_set_contents(path, content, -1, NULL));
}

/* Removes REL. */
static G_GNUC_UNUSED void rm_rel(const char *rel)
{
	g_autofree char *path = g_build_filename(snapdir, rel, NULL);
	ck_assert_int_eq(unlink(path), 0);
}

/* Runs the tests as one suite, each in a scratch directory of its own; returns the exit status. */
static G_GNUC_UNUSED int snapdir_run(const char *suite, const TTest *const *tests, gsize n)
{
	Suite *s = suite_create(suite);
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, snapdir_setup, snapdir_teardown);
	for (gsize i = 0; i < n; i++)
		tcase_add_test(tc, tests[i]);
	suite_add_tcase(s, tc);
	return mem_check_run(s);
}
