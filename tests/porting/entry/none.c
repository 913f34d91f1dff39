/* No entry point at all: the program links, and says so when run. */
#include <windows.h>

int helper_that_is_not_an_entry_point(void);
int helper_that_is_not_an_entry_point(void)
{
    return (int)GetTickCount();
}
