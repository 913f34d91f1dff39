// void _tmain with no parameters, through tchar.h.
#include <tchar.h>

void _tmain()
{
    _tprintf(_T("void _tmain (C++): ran\n"));
}
