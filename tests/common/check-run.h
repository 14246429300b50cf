/* check-run.h: the end of every Check unit test's main(): run the suite, free it, exit 0 only when every test passed (test layer) */
#pragma once

#include <check.h>
#include <stdlib.h>

/* Runs every test of s (CK_VERBOSITY chooses the output, normal by default) and frees the runner. */
static inline int mem_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
