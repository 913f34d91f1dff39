/*
 * TransmitFile: the head buffer, a part of a file and the tail buffer sent
 * as one WSASend, so that it keeps that call's order among the socket's
 * sends, its single packet (the total byte count), skip-on-success and
 * event rules. The file's part is read into memory the send owns; a file
 * handed to a socket is the server's static content or a log, not a stream
 * larger than memory. TF_DISCONNECT finishes with DisconnectEx's step.
 */
#include "extension_internal.h"
#include "file.h"

#include <mswsock.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define TF_KNOWN (TF_DISCONNECT | TF_REUSE_SOCKET | TF_WRITE_BEHIND | TF_USE_SYSTEM_THREAD | \
                  TF_USE_KERNEL_APC)
/* What one call may send (TransmitFile's page: 2,147,483,646 bytes). */
#define TF_MAX_BYTES 0x7FFFFFFEu

/*
 * Reads the part of the file TransmitFile sends: from the OVERLAPPED's
 * offset (or the file pointer without one), want bytes or (0) up to the end.
 * Returns 0 with *data (malloc'd, NULL when empty) and *len, or the Winsock
 * error.
 */
static DWORD read_part(HANDLE h, DWORD want, const OVERLAPPED *ovl, char **data, DWORD *len)
{
    *data = NULL;
    *len = 0;
    if (h == NULL)
        return 0;
    struct file *f = file_find(h);
    if (f == NULL)
        return WSAEINVAL;
    DWORD code = 0;
    struct stat st;
    off_t off = ovl != NULL ? (off_t)(((uint64_t)ovl->OffsetHigh << 32) | ovl->Offset)
                            : lseek(f->fd, 0, SEEK_CUR);
    if (!f->readable) {
        code = WSAEACCES;
    } else if (off < 0 || fstat(f->fd, &st) != 0) {
        code = WSAEINVAL;
    } else {
        uint64_t avail = st.st_size > off ? (uint64_t)(st.st_size - off) : 0;
        uint64_t n = want != 0 && want < avail ? want : avail;
        if (n > TF_MAX_BYTES)
            code = WSAEINVAL;
        else if (n > 0 && (*data = malloc(n)) == NULL)
            code = WSAENOBUFS;
        for (uint64_t done = 0; code == 0 && done < n;) {
            ssize_t got = pread(f->fd, *data + done, n - done, off + (off_t)done);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                n = done;   /* the file shrank meanwhile: what there was */
                break;
            }
            done += (uint64_t)got;
        }
        *len = (DWORD)n;
    }
    if (code != 0) {
        free(*data);
        *data = NULL;
    }
    file_release(f);
    return code;
}

/* The head, file and tail buffers that are not empty; returns how many. */
static DWORD gather(WSABUF *bufs, const TRANSMIT_FILE_BUFFERS *tb, char *data, DWORD len)
{
    DWORD n = 0;
    if (tb != NULL && tb->HeadLength > 0)
        bufs[n++] = (WSABUF){ tb->HeadLength, (char *)tb->Head };
    if (len > 0)
        bufs[n++] = (WSABUF){ len, data };
    if (tb != NULL && tb->TailLength > 0)
        bufs[n++] = (WSABUF){ tb->TailLength, (char *)tb->Tail };
    return n;
}

/* TF_DISCONNECT: the bytes go out before the call returns, then the
 * disconnect reports them all in its one completion. */
static BOOL send_then_disconnect(SOCKET so, WSABUF *bufs, DWORD n, char *data, LPOVERLAPPED ovl,
                                 DWORD flags)
{
    DWORD sent = 0;
    int rc = n > 0 ? WSASend(so, bufs, n, &sent, 0, NULL, NULL) : 0;
    free(data);
    if (rc != 0)
        return FALSE;   /* WSASend set the error */
    return extension_disconnect(so, ovl, flags & TF_REUSE_SOCKET, 0, sent);
}

BOOL PASCAL TransmitFile(SOCKET so, HANDLE file, DWORD want, DWORD per_send, LPOVERLAPPED ovl,
                         LPTRANSMIT_FILE_BUFFERS tb, DWORD flags)
{
    (void)per_send;   /* how the kernel cuts the stream is its own business */
    struct sock *s = sock_for_call(so);
    if (s == NULL)
        return FALSE;
    if ((flags & ~(DWORD)TF_KNOWN) != 0 ||
        ((flags & TF_REUSE_SOCKET) && !(flags & TF_DISCONNECT)) || !s->stream)
        return fail(s, NULL, WSAEINVAL);
    if (tb != NULL && ((tb->Head == NULL && tb->HeadLength > 0) ||
                       (tb->Tail == NULL && tb->TailLength > 0)))
        return fail(s, NULL, WSAEFAULT);
    if (!is_connected(s->fd))
        return fail(s, NULL, WSAENOTCONN);
    sock_release(s);

    char *data;
    DWORD len;
    DWORD code = read_part(file, want, ovl, &data, &len);
    if (code == 0 && tb != NULL && (uint64_t)tb->HeadLength + len + tb->TailLength > TF_MAX_BYTES)
        code = WSAEINVAL;
    if (code != 0) {
        free(data);
        error_set(code);
        return FALSE;
    }
    WSABUF bufs[3];
    DWORD n = gather(bufs, tb, data, len);
    if (flags & TF_DISCONNECT)
        return send_then_disconnect(so, bufs, n, data, ovl, flags);
    if (n == 0) {
        /* Nothing to send still completes, with 0 bytes. */
        bufs[0] = (WSABUF){ 0, NULL };
        n = 1;
    }
    return send_owned(so, bufs, n, ovl, data) == 0;
}
