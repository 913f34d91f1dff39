/* void main in C, with the environment. */
#include <windows.h>

#include <stdio.h>
#include <string.h>

void main(int argc, char **argv, char **envp)
{
    int seen = 0;
    for (char **e = envp; *e != NULL; e++)
        seen |= strcmp(*e, "IOCPCOMPAT_ENTRY_TEST=1") == 0;
    if (argc == 2 && seen)
        printf("void main (C): ran with %s\n", argv[1]);
}
