/* What file mappings need of the virtual-memory region table (memory.c). */
#ifndef IOCPCOMPAT_MEMORY_VIEW_H
#define IOCPCOMPAT_MEMORY_VIEW_H

#include <windows.h>
#include <stdbool.h>
#include <sys/types.h>

/* Maps length bytes of fd from offset at a 64 KiB boundary and records the
 * view as a committed region of page protection protect, owned by owner
 * (returned by memory_unmap_view). NULL with the Win32 error set. */
void *memory_map_view(int fd, off_t offset, size_t length, int prot, bool copy_on_write, DWORD protect,
                      void *owner);

/* Unmaps the view starting at base; false (ERROR_INVALID_ADDRESS) when no
 * view starts there. *owner gets the owner it was mapped with. */
bool memory_unmap_view(void *base, void **owner);

/* The view holding addr: its base and length; false when none does. */
bool memory_find_view(const void *addr, void **base, size_t *length);

#endif
