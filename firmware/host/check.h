/* Minimal test bookkeeping for the host tests: every CHECK counts, failures
 * print where and why, and main returns non-zero if any failed. */
#ifndef WB_HOST_CHECK_H
#define WB_HOST_CHECK_H

#include <stdio.h>

extern unsigned check_passed;
extern unsigned check_failed;

#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (cond) {                                                   \
            check_passed++;                                           \
        } else {                                                      \
            check_failed++;                                           \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);      \
            fprintf(stderr, __VA_ARGS__);                             \
            fputc('\n', stderr);                                      \
        }                                                             \
    } while (0)

/* Prints the summary line and returns the process exit status. */
int check_report(const char *suite);

#endif
