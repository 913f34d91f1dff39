/* Includes written for a case-insensitive file system with backslashes,
 * left as they are. */
#include <WINDOWS.H>
#include <stdio.h>
#include <string.h>
#include "iocpserver.h"

int worker_slots(void);

int main(void)
{
    int failures = DEFAULT_PORT != 6001 || FIXTURE_VERSION != 3 || EXACT_NAME != 1;
    failures += SESSION_SLOTS != 16 || strcmp(SERVER_NAME, "fixture") != 0;
    failures += worker_slots() != 2 * SESSION_SLOTS;
    failures += sizeof(DWORD) != 4;
    printf("includes fixture: %d failures\n", failures);
    return failures != 0;
}
