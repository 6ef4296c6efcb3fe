#include "check.h"

unsigned check_passed;
unsigned check_failed;

int check_report(const char *suite)
{
    printf("%s: %u checks passed, %u failed\n", suite, check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}
