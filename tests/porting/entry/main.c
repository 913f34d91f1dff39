/* A program with its own main and a WinMain: its main is the one that
 * runs, the library's is not linked. */
#include <windows.h>

#include <stdio.h>

int WINAPI WinMain(HINSTANCE hInstance, HINSTANCE hPrevInstance, LPSTR lpCmdLine, int nShowCmd)
{
    (void)hInstance, (void)hPrevInstance, (void)lpCmdLine, (void)nShowCmd;
    return 99;
}

int main(void)
{
    puts("the program's own main");
    return 5;
}
