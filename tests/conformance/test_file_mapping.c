/*
 * Memory-backed file mappings as Windows behaves: CreateFileMapping with
 * INVALID_HANDLE_VALUE, views that share their bytes, 64 KiB offsets,
 * named mappings (ERROR_ALREADY_EXISTS, OpenFileMapping, the name living
 * as long as a handle, the handle's access bounding its views), read-only mappings and copy-on-write views, views
 * as VirtualQuery reports them, and the errors. Plain Win32.
 */
#include "conformance.h"

#define KIB 1024

static void test_two_views_share_memory(void **state)
{
    (void)state;
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 256 * KIB, NULL);
    assert_non_null(m);
    char *a = (char *)MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    char *b = (char *)MapViewOfFile(m, FILE_MAP_WRITE, 0, 64 * KIB, 64 * KIB);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal((ULONG_PTR)a % (64 * KIB), 0);
    assert_int_equal((ULONG_PTR)b % (64 * KIB), 0);
    assert_int_equal(a[0], 0);   /* fresh mappings are zero */
    a[64 * KIB + 5] = 'x';
    assert_int_equal(b[5], 'x');
    b[6] = 'y';
    assert_int_equal(a[64 * KIB + 6], 'y');

    MEMORY_BASIC_INFORMATION mbi;
    assert_int_equal(VirtualQuery(b + 100, &mbi, sizeof mbi), sizeof mbi);
    assert_ptr_equal(mbi.AllocationBase, b);
    assert_int_equal(mbi.Type, MEM_MAPPED);
    assert_int_equal(mbi.State, MEM_COMMIT);
    assert_int_equal(mbi.Protect, PAGE_READWRITE);
    assert_int_equal(mbi.RegionSize, 64 * KIB);

    /* The handle can go first; the views stay. */
    assert_true(CloseHandle(m));
    a[0] = 'z';
    assert_true(FlushViewOfFile(a, 0));
    assert_true(UnmapViewOfFile(a));
    assert_true(UnmapViewOfFile(b));
}

static void test_named_mapping(void **state)
{
    (void)state;
    SetLastError(SENTINEL);
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_COMMIT, 0, 4096,
                                  "Local\\iocpcompat-test-mapping");
    assert_non_null(m);
    assert_int_equal(GetLastError(), ERROR_SUCCESS);
    SetLastError(SENTINEL);
    HANDLE again = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                                      "Local\\iocpcompat-test-mapping");
    assert_non_null(again);
    assert_int_equal(GetLastError(), ERROR_ALREADY_EXISTS);
    HANDLE opened = OpenFileMappingW(FILE_MAP_READ, FALSE, L"Local\\iocpcompat-test-mapping");
    assert_non_null(opened);
    char *w = (char *)MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    const char *r = (const char *)MapViewOfFile(opened, FILE_MAP_READ, 0, 0, 0);
    assert_non_null(w);
    assert_non_null(r);
    strcpy(w, "shared");
    assert_string_equal(r, "shared");
    /* A handle's access bounds its views. */
    SetLastError(SENTINEL);
    assert_null(MapViewOfFile(opened, FILE_MAP_WRITE, 0, 0, 0));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    HANDLE write_only = OpenFileMappingA(FILE_MAP_WRITE, FALSE, "Local\\iocpcompat-test-mapping");
    assert_non_null(write_only);
    SetLastError(SENTINEL);
    assert_null(MapViewOfFile(write_only, FILE_MAP_READ, 0, 0, 0));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    char *w2 = (char *)MapViewOfFile(write_only, FILE_MAP_WRITE, 0, 0, 0);
    assert_non_null(w2);
    assert_string_equal(w2, "shared");
    assert_true(UnmapViewOfFile(w2));
    assert_true(CloseHandle(write_only));
    assert_true(CloseHandle(again));
    assert_true(CloseHandle(opened));
    assert_true(CloseHandle(m));
    /* With every handle closed the name is gone, though views remain. */
    SetLastError(SENTINEL);
    assert_null(OpenFileMappingA(FILE_MAP_READ, FALSE, "Local\\iocpcompat-test-mapping"));
    assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
    assert_string_equal(r, "shared");
    SetLastError(SENTINEL);
    HANDLE fresh = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                                      "Local\\iocpcompat-test-mapping");
    assert_non_null(fresh);
    assert_int_equal(GetLastError(), ERROR_SUCCESS);   /* a new mapping */
    const char *other = (const char *)MapViewOfFile(fresh, FILE_MAP_READ, 0, 0, 0);
    assert_non_null(other);
    assert_int_equal(other[0], 0);
    assert_true(UnmapViewOfFile(other));
    assert_true(CloseHandle(fresh));
    assert_true(UnmapViewOfFile(w));
    assert_true(UnmapViewOfFile(r));
    MEMORY_BASIC_INFORMATION mbi;
    assert_int_equal(VirtualQuery(r, &mbi, sizeof mbi), sizeof mbi);
    assert_int_equal(mbi.State, MEM_FREE);
    assert_int_equal(mbi.AllocationProtect, 0);
    assert_int_equal(mbi.Type, 0);
}

static void test_read_only_and_copy_on_write(void **state)
{
    (void)state;
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 64 * KIB, NULL);
    char *shared = (char *)MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    char *copy = (char *)MapViewOfFile(m, FILE_MAP_COPY, 0, 0, 0);
    assert_non_null(shared);
    assert_non_null(copy);
    shared[0] = 'a';
    copy[0] = 'b';   /* private to this view */
    assert_int_equal(shared[0], 'a');
    assert_int_equal(copy[0], 'b');
    MEMORY_BASIC_INFORMATION mbi;
    assert_int_equal(VirtualQuery(copy, &mbi, sizeof mbi), sizeof mbi);
    assert_int_equal(mbi.Protect, PAGE_WRITECOPY);
    assert_true(UnmapViewOfFile(copy));
    assert_true(UnmapViewOfFile(shared));
    assert_true(CloseHandle(m));

    HANDLE ro = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READONLY, 0, 4096, NULL);
    assert_non_null(ro);
    SetLastError(SENTINEL);
    assert_null(MapViewOfFile(ro, FILE_MAP_WRITE, 0, 0, 0));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    const char *view = (const char *)MapViewOfFile(ro, FILE_MAP_READ, 0, 0, 0);
    assert_non_null(view);
    assert_int_equal(view[0], 0);
    assert_true(UnmapViewOfFile(view));
    assert_true(CloseHandle(ro));
}

static void test_mapping_errors(void **state)
{
    (void)state;
    SetLastError(SENTINEL);
    assert_null(CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(SENTINEL);
    assert_null(CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_NOACCESS, 0, 4096, NULL));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 128 * KIB, NULL);
    SetLastError(SENTINEL);
    assert_null(MapViewOfFile(m, FILE_MAP_READ, 0, 4096, 4096));   /* not on 64 KiB */
    assert_int_equal(GetLastError(), ERROR_MAPPED_ALIGNMENT);
    SetLastError(SENTINEL);
    assert_null(MapViewOfFile(m, FILE_MAP_READ, 0, 64 * KIB, 128 * KIB));   /* past the end */
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    HANDLE ev = CreateEvent(NULL, FALSE, FALSE, NULL);
    SetLastError(SENTINEL);
    assert_null(MapViewOfFile(ev, FILE_MAP_READ, 0, 0, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    char *view = (char *)MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    assert_non_null(view);
    SetLastError(SENTINEL);
    assert_false(UnmapViewOfFile(view + 4096));   /* only the base */
    assert_int_equal(GetLastError(), ERROR_INVALID_ADDRESS);
    /* A view is not VirtualAlloc's to free. */
    SetLastError(SENTINEL);
    assert_false(VirtualFree(view, 0, MEM_RELEASE));
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    assert_true(UnmapViewOfFile(view));
    SetLastError(SENTINEL);
    assert_false(UnmapViewOfFile(view));
    assert_int_equal(GetLastError(), ERROR_INVALID_ADDRESS);
    assert_true(CloseHandle(ev));
    assert_true(CloseHandle(m));
}

/* A mapping of a file opened by CreateFile: views and ReadFile/WriteFile
 * see the same bytes, a size of 0 is the file's, a larger one extends it,
 * and the protection must fit the handle's access. */
static void test_mapping_of_a_file(void **state)
{
    (void)state;
    char name[64];
    snprintf(name, sizeof name, "iocpcompat-mapping-%lu.tmp", (unsigned long)GetCurrentProcessId());
    HANDLE f = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(f != INVALID_HANDLE_VALUE);
    /* An empty file has no size to take. */
    SetLastError(SENTINEL);
    assert_null(CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_FILE_INVALID);
    DWORD done = 0;
    assert_true(WriteFile(f, "hello", 5, &done, NULL));
    HANDLE m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 0, NULL);
    assert_non_null(m);
    char *view = (char *)MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    assert_non_null(view);
    assert_memory_equal(view, "hello", 5);
    view[0] = 'J';
    assert_true(FlushViewOfFile(view, 5));
    LARGE_INTEGER at = {{0, 0}};
    assert_true(SetFilePointerEx(f, at, NULL, FILE_BEGIN));
    char back[8] = {0};
    assert_true(ReadFile(f, back, 5, &done, NULL));
    assert_int_equal(done, 5);
    assert_memory_equal(back, "Jello", 5);
    assert_true(UnmapViewOfFile(view));
    assert_true(CloseHandle(m));
    /* A larger mapping extends the file first. */
    m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 8192, NULL);
    assert_non_null(m);
    LARGE_INTEGER size;
    assert_true(GetFileSizeEx(f, &size));
    assert_true(size.QuadPart == 8192);
    assert_true(CloseHandle(m));
    assert_true(CloseHandle(f));

    /* Read-only access maps read-only, and cannot grow the file. */
    f = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(f != INVALID_HANDLE_VALUE);
    SetLastError(SENTINEL);
    assert_null(CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 0, NULL));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    SetLastError(SENTINEL);
    assert_null(CreateFileMappingA(f, NULL, PAGE_READONLY, 0, 16384, NULL));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
    m = CreateFileMappingA(f, NULL, PAGE_READONLY, 0, 0, NULL);
    assert_non_null(m);
    /* The mapping keeps the file open after its handle closes. */
    assert_true(CloseHandle(f));
    view = (char *)MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    assert_non_null(view);
    assert_memory_equal(view, "Jello", 5);
    assert_true(UnmapViewOfFile(view));
    assert_true(CloseHandle(m));
    assert_true(DeleteFileA(name));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_views_share_memory),
        cmocka_unit_test(test_named_mapping),
        cmocka_unit_test(test_read_only_and_copy_on_write),
        cmocka_unit_test(test_mapping_errors),
        cmocka_unit_test(test_mapping_of_a_file),
    };
    return conformance_main(argc, argv, tests, conformance_setup, conformance_teardown);
}
