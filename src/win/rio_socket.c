/*
 * Which sockets are RIO sockets, and each one's request queue, while the
 * overlapped provider serves RIO. Windows knows a socket's
 * WSA_FLAG_REGISTERED_IO; this provider learns it from the calls that make
 * sockets, so it records the sockets known to be plain, and takes any
 * other for a RIO socket (see rio.h).
 */
#include "rio.h"

#include <stdlib.h>
#include <uthash.h>

struct sock_entry {
    SOCKET socket;
    bool plain;
    struct rio_rq *rq;          /* a reference, or NULL */
    UT_hash_handle hh;
};

static struct sock_entry *entries;
static SRWLOCK entries_lock = SRWLOCK_INIT;

static struct sock_entry *find_locked(SOCKET s)
{
    struct sock_entry *e = NULL;
    HASH_FIND(hh, entries, &s, sizeof(s), e);
    return e;
}

/* s's entry, made if missing; NULL when memory is short. Locked exclusive. */
static struct sock_entry *entry_locked(SOCKET s)
{
    struct sock_entry *e = find_locked(s);
    if (e == NULL) {
        e = calloc(1, sizeof(*e));
        if (e == NULL)
            return NULL;
        e->socket = s;
        HASH_ADD(hh, entries, socket, sizeof(e->socket), e);
    }
    return e;
}

static void drop_if_empty_locked(struct sock_entry *e)
{
    if (!e->plain && e->rq == NULL) {
        HASH_DEL(entries, e);
        free(e);
    }
}

void rio_socket_made(SOCKET s, bool registered)
{
    AcquireSRWLockExclusive(&entries_lock);
    struct sock_entry *e = registered ? find_locked(s) : entry_locked(s);
    /* A socket whose entry could not be made counts as a RIO socket:
     * RIOCreateRequestQueue then accepts what Windows would refuse, rather
     * than the reverse. */
    if (e != NULL) {
        e->plain = !registered;
        drop_if_empty_locked(e);
    }
    ReleaseSRWLockExclusive(&entries_lock);
}

void rio_socket_accepted(SOCKET listener, SOCKET accepted)
{
    AcquireSRWLockExclusive(&entries_lock);
    struct sock_entry *l = find_locked(listener);
    struct sock_entry *a = find_locked(accepted);
    if ((l == NULL || !l->plain) && a != NULL) {
        a->plain = false;
        drop_if_empty_locked(a);
    }
    ReleaseSRWLockExclusive(&entries_lock);
}

bool rio_socket_is_registered(SOCKET s)
{
    AcquireSRWLockShared(&entries_lock);
    struct sock_entry *e = find_locked(s);
    bool registered = e == NULL || !e->plain;
    ReleaseSRWLockShared(&entries_lock);
    return registered;
}

bool rio_socket_attach(SOCKET s, struct rio_rq *rq)
{
    AcquireSRWLockExclusive(&entries_lock);
    struct sock_entry *e = entry_locked(s);
    bool ok = e != NULL && e->rq == NULL;
    if (ok) {
        rio_rq_retain(rq);
        e->rq = rq;
    }
    ReleaseSRWLockExclusive(&entries_lock);
    return ok;
}

struct rio_rq *rio_socket_forget(SOCKET s)
{
    AcquireSRWLockExclusive(&entries_lock);
    struct sock_entry *e = find_locked(s);
    struct rio_rq *rq = NULL;
    if (e != NULL) {
        rq = e->rq;
        HASH_DEL(entries, e);
        free(e);
    }
    ReleaseSRWLockExclusive(&entries_lock);
    return rq;
}
