/*
 * A broadcast chat server in C++17 over an I/O completion port, in the
 * IocpCore style many game servers use. Plain Win32 + standard C++: it builds
 * unchanged against the Windows SDK (MSVC or mingw-w64) and against
 * iocpcompat on Linux.
 *
 *   chat_server [--port N] [--threads N] [--accepts N] [--max-seconds N]
 *               [--sessions plain|rio|mixed] [--rio-capacity N]
 *
 * Protocol: every frame is a 4-byte little-endian payload length followed by
 * the payload (1 to 65536 bytes from clients). Every frame a client sends is
 * relayed unchanged to every joined session, the sender INCLUDED: a client
 * sees its own messages in the same stream as everybody else's, which gives
 * it an end-to-end acknowledgement and lets it check ordering. When a session
 * has joined the broadcast set the server sends it one empty frame (length
 * 0), the "joined" notice: from then on it receives every broadcast.
 * A frame with length 0 or above the limit from a client closes its session.
 *
 * Classes:
 *   IocpCore    owns the completion port and the worker threads; every
 *               OVERLAPPED it sees is the first member of an IoContext that
 *               knows its owner (IoHandler) and completes through it.
 *   Listener    the listening socket and a pool of AcceptEx, re-posted as
 *               connections arrive (AcceptEx from WSAIoctl).
 *   SendBuffer  one allocation holding a reference count and the bytes;
 *               a broadcast to N sessions allocates ONE and queues N
 *               references (InterlockedIncrement/Decrement).
 *   Session     what the set and the listener know of a connection: the
 *               framing of what it received, broadcast, close, leave.
 *   PlainSession  a Session over WSARecv/WSASend: one WSARecv always
 *               outstanding, and a send queue with at most one WSASend
 *               outstanding (the rest waits; partial sends are continued).
 *   RioSession  the same Session migrated to Registered I/O: a request queue
 *               with one RIOReceive outstanding into its registered receive
 *               buffer and up to kRioSends RIOSend outstanding, each naming
 *               the broadcast's registered SendBuffer (no copy per receiver).
 *   RioCore     the RIO function table, the one completion queue of every
 *               RioSession (its notification is a packet on IocpCore's port,
 *               handled by the same workers) and the registered pool that
 *               SendBuffers come from when RIO is in use.
 *   SessionSet  the joined sessions, under an SRWLOCK: broadcasts share it,
 *               join/leave take it exclusively.
 *
 * --sessions picks the kind of session an accepted connection gets: plain
 * (the default), rio, or mixed (every other one). The listener, the port and
 * the workers are the same for both kinds, and one broadcast reaches both.
 * A RioSession that cannot be made (the completion queue is sized for
 * --rio-capacity of them, default 2048) falls back to a PlainSession.
 *
 * It stops on Ctrl-C (SetConsoleCtrlHandler; on Linux SIGINT/SIGTERM), on a
 * line or end of file on stdin, or after --max-seconds: it closes the
 * listener and every session, waits for the aborted packets, posts one
 * PostQueuedCompletionStatus(port, 0, 0, NULL) per worker and prints one
 * summary line. Exit status 0 when everything was released, 1 otherwise,
 * 2 on bad arguments.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#ifndef RIO_CORRUPT_CQ
#include "iocpcompat_rio.h"                  // mingw-w64's headers lack RIO
#endif

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <new>
#include <string>
#include <vector>

namespace {

constexpr DWORD kMaxPayload = 65536;
constexpr DWORD kRecvSize = 65536;
constexpr DWORD kMaxBatch = 64;              // WSABUFs gathered into one WSASend
constexpr DWORD kAcceptAddrLen = sizeof(sockaddr_in) + 16;

// Counters for the summary line.
volatile LONG64 g_sessions;
volatile LONG64 g_messages;                  // frames received from clients
volatile LONG64 g_broadcasts;                // broadcast calls (one per received batch)
volatile LONG64 g_buffers;                   // SendBuffers allocated for broadcasts
volatile LONG64 g_delivered;                 // client frames wholly sent to a session
volatile LONG g_live_buffers;                // SendBuffers not yet freed

// Stop triggers: Ctrl-C, stdin, the time limit.
HANDLE g_stop_event;
volatile LONG g_stop_reason;                 // 0 time limit, 1 stdin, 2 ctrl-c

void RequestStop(LONG reason)
{
    InterlockedCompareExchange(&g_stop_reason, reason, 0);
    SetEvent(g_stop_event);
}

BOOL WINAPI ConsoleHandler(DWORD type)
{
    switch (type) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
        RequestStop(2);                      // the main thread does the work
        return TRUE;
    default:
        return FALSE;
    }
}

DWORD WINAPI StdinWatcher(LPVOID)
{
    char line[256];
    (void)std::fgets(line, static_cast<int>(sizeof(line)), stdin);
    RequestStop(1);
    return 0;
}

// ---------------------------------------------------------------------------
// Registered memory for SendBuffers, when RIO sessions exist: slabs
// registered once each (RIORegisterBuffer is costly, a request is not) and
// cut into chunks that a free list hands out. A chunk is named by its slab's
// buffer id and its offset in the slab.
class RioBufferPool {
public:
    static constexpr DWORD kChunk = 4096;
    static constexpr DWORD kSlab = 1u << 20;

    struct Chunk {
        char *mem;
        RIO_BUFFERID id;
        DWORD offset;
    };

    explicit RioBufferPool(const RIO_EXTENSION_FUNCTION_TABLE &rio) : rio_(rio) { InitializeSRWLock(&lock_); }
    ~RioBufferPool()
    {
        for (const Slab &slab : slabs_) {
            rio_.RIODeregisterBuffer(slab.id);
            VirtualFree(slab.base, 0, MEM_RELEASE);
        }
    }
    RioBufferPool(const RioBufferPool &) = delete;
    RioBufferPool &operator=(const RioBufferPool &) = delete;

    bool Take(Chunk *out)
    {
        AcquireSRWLockExclusive(&lock_);
        bool ok = !free_.empty() || AddSlabLocked();
        if (ok) {
            *out = free_.back();
            free_.pop_back();
        }
        ReleaseSRWLockExclusive(&lock_);
        return ok;
    }

    void Give(const Chunk &c)
    {
        AcquireSRWLockExclusive(&lock_);
        free_.push_back(c);
        ReleaseSRWLockExclusive(&lock_);
    }

private:
    struct Slab {
        char *base;
        RIO_BUFFERID id;
    };

    bool AddSlabLocked()
    {
        char *base = static_cast<char *>(VirtualAlloc(nullptr, kSlab, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
        if (base == nullptr)
            return false;
        RIO_BUFFERID id = rio_.RIORegisterBuffer(base, kSlab);
        if (id == RIO_INVALID_BUFFERID) {
            VirtualFree(base, 0, MEM_RELEASE);
            return false;
        }
        slabs_.push_back(Slab{base, id});
        for (DWORD off = 0; off < kSlab; off += kChunk)
            free_.push_back(Chunk{base + off, id, off});
        return true;
    }

    const RIO_EXTENSION_FUNCTION_TABLE &rio_;
    SRWLOCK lock_;
    std::vector<Slab> slabs_;                // under lock_
    std::vector<Chunk> free_;                // under lock_
};

// Set while RIO sessions may exist: SendBuffers then come from it.
RioBufferPool *g_pool;
const RIO_EXTENSION_FUNCTION_TABLE *g_rio;

// ---------------------------------------------------------------------------
// One allocation per broadcast: the header and the bytes in one block, shared
// by every session's queue through an intrusive reference count. With RIO on,
// the block is a chunk of the registered pool (or, above a chunk, memory
// registered for this buffer alone), so that a RioSession sends it by id and
// offset while a PlainSession sends the same bytes by pointer.
class SendBuffer {
public:
    static SendBuffer *Create(DWORD size, DWORD frames)
    {
        size_t total = sizeof(SendBuffer) + size;
        void *mem = nullptr;
        RioBufferPool::Chunk chunk{nullptr, RIO_INVALID_BUFFERID, 0};
        Origin origin = Origin::Heap;
        if (g_pool != nullptr && total <= RioBufferPool::kChunk) {
            if (!g_pool->Take(&chunk))
                return nullptr;
            mem = chunk.mem;
            origin = Origin::Pool;
        } else {
            mem = ::operator new(total, std::nothrow);
            if (mem == nullptr)
                return nullptr;
            if (g_pool != nullptr) {
                chunk.id = g_rio->RIORegisterBuffer(static_cast<PCHAR>(mem), static_cast<DWORD>(total));
                if (chunk.id == RIO_INVALID_BUFFERID) {
                    ::operator delete(mem);
                    return nullptr;
                }
                origin = Origin::OwnRegistration;
            }
        }
        InterlockedIncrement(&g_live_buffers);
        return new (mem) SendBuffer(size, frames, origin, chunk);
    }
    char *Data() { return reinterpret_cast<char *>(this + 1); }
    DWORD Size() const { return size_; }
    DWORD Frames() const { return frames_; }
    // Where Data() is for RIO: valid only while RIO is on.
    RIO_BUF RioBuf() const
    {
        RIO_BUF b;
        b.BufferId = chunk_.id;
        b.Offset = chunk_.offset + static_cast<ULONG>(sizeof(SendBuffer));
        b.Length = size_;
        return b;
    }
    void AddRef() { InterlockedIncrement(&refs_); }
    void Release()
    {
        if (InterlockedDecrement(&refs_) != 0)
            return;
        RioBufferPool::Chunk chunk = chunk_;
        Origin origin = origin_;
        this->~SendBuffer();
        if (origin == Origin::Pool) {
            g_pool->Give(chunk);
        } else {
            if (origin == Origin::OwnRegistration)
                g_rio->RIODeregisterBuffer(chunk.id);
            ::operator delete(static_cast<void *>(this));
        }
        InterlockedDecrement(&g_live_buffers);
    }

private:
    enum class Origin { Heap, Pool, OwnRegistration };
    SendBuffer(DWORD size, DWORD frames, Origin origin, const RioBufferPool::Chunk &chunk)
        : refs_(1), size_(size), frames_(frames), origin_(origin), chunk_(chunk)
    {
    }
    ~SendBuffer() = default;
    volatile LONG refs_;
    DWORD size_;
    DWORD frames_;                           // client frames inside, for the count
    Origin origin_;
    RioBufferPool::Chunk chunk_;
};

// A reference held by a send queue.
class BufferRef {
public:
    explicit BufferRef(SendBuffer *b) : b_(b) { b_->AddRef(); }
    BufferRef(const BufferRef &o) : b_(o.b_) { b_->AddRef(); }
    BufferRef(BufferRef &&o) noexcept : b_(o.b_) { o.b_ = nullptr; }
    BufferRef &operator=(const BufferRef &) = delete;
    BufferRef &operator=(BufferRef &&) = delete;
    ~BufferRef()
    {
        if (b_ != nullptr)
            b_->Release();
    }
    SendBuffer *operator->() const { return b_; }
    SendBuffer *Get() const { return b_; }

private:
    SendBuffer *b_;
};

// ---------------------------------------------------------------------------
class IoHandler;

enum class IoType { Accept, Recv, Send, RioNotify };

// Every OVERLAPPED posted is the first member of one of these.
struct IoContext {
    OVERLAPPED ovl;
    IoType type;
    IoHandler *owner;
    IoContext(IoType t, IoHandler *o) : ovl(), type(t), owner(o) {}
    void Reset() { std::memset(&ovl, 0, sizeof(ovl)); }
};

class IoHandler {
public:
    virtual ~IoHandler() = default;
    virtual void OnComplete(IoContext *io, BOOL ok, DWORD bytes) = 0;
};

class IocpCore {
public:
    IocpCore() : port_(CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0)) {}
    ~IocpCore()
    {
        if (port_ != nullptr)
            CloseHandle(port_);
    }
    IocpCore(const IocpCore &) = delete;
    IocpCore &operator=(const IocpCore &) = delete;

    bool Valid() const { return port_ != nullptr; }
    HANDLE Port() const { return port_; }

    bool Associate(SOCKET s)
    {
        // The key is unused: each OVERLAPPED names its owner.
        return CreateIoCompletionPort(reinterpret_cast<HANDLE>(s), port_, 0, 0) == port_;
    }

    bool Start(DWORD threads)
    {
        for (DWORD i = 0; i < threads; i++) {
            HANDLE h = CreateThread(nullptr, 0, &IocpCore::WorkerMain, this, 0, nullptr);
            if (h == nullptr)
                return false;
            workers_.push_back(h);
        }
        return true;
    }

    // One exit packet per worker: each worker takes one and returns.
    bool Stop()
    {
        bool all = true;
        for (size_t i = 0; i < workers_.size(); i++)
            PostQueuedCompletionStatus(port_, 0, 0, nullptr);
        for (size_t i = 0; i < workers_.size(); i++) {
            if (WaitForSingleObject(workers_[i], 10000) == WAIT_OBJECT_0) {
                CloseHandle(workers_[i]);
            } else {
                std::fprintf(stderr, "chat_server: worker %u did not stop\n", static_cast<unsigned>(i));
                all = false;
            }
        }
        workers_.clear();
        return all;
    }

private:
    static DWORD WINAPI WorkerMain(LPVOID arg)
    {
        IocpCore *core = static_cast<IocpCore *>(arg);
        for (;;) {
            DWORD bytes = 0;
            ULONG_PTR key = 0;
            LPOVERLAPPED ovl = nullptr;
            BOOL ok = GetQueuedCompletionStatus(core->port_, &bytes, &key, &ovl, INFINITE);
            if (ovl == nullptr) {
                if (!ok)
                    std::fprintf(stderr, "chat_server: GetQueuedCompletionStatus failed: %lu\n",
                                 static_cast<unsigned long>(GetLastError()));
                return 0;
            }
            IoContext *io = reinterpret_cast<IoContext *>(ovl);
            io->owner->OnComplete(io, ok, bytes);
        }
    }

    HANDLE port_;
    std::vector<HANDLE> workers_;
};

// ---------------------------------------------------------------------------
class Session;

class SessionSet {
public:
    SessionSet() { InitializeSRWLock(&lock_); }
    void Add(Session *s);
    void Remove(Session *s);
    void Broadcast(SendBuffer *buf);
    void CloseAll();

private:
    SRWLOCK lock_;
    std::vector<Session *> sessions_;        // each holds a reference for the set
};

SessionSet g_set;
volatile LONG g_live_sessions;

class Session {
public:
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    void AddRef() { InterlockedIncrement(&refs_); }
    void Release()
    {
        if (InterlockedDecrement(&refs_) == 0)
            delete this;
    }

    // Joins the set, says so with the empty frame, and starts receiving.
    virtual void Start() = 0;
    // Queues or sends a reference to buf.
    virtual void Send(SendBuffer *buf) = 0;
    // Closing the socket aborts whatever is pending; the receive path, which
    // always has a receive outstanding, then leaves the set.
    virtual void Close() = 0;

protected:
    Session() { InterlockedIncrement(&g_live_sessions); }
    virtual ~Session() { InterlockedDecrement(&g_live_sessions); }

    void Join()
    {
        g_set.Add(this);
        SendBuffer *hello = SendBuffer::Create(4, 0);
        if (hello != nullptr) {
            std::memset(hello->Data(), 0, 4);
            Send(hello);
            hello->Release();
        }
    }

    // Leaving the set is done only on the receive path, never from inside
    // a broadcast (which holds the set's lock shared).
    void Leave()
    {
        Close();
        g_set.Remove(this);
    }

    // What one receive brought: every complete frame so far goes out in one
    // broadcast. False when the session must leave.
    bool OnReceived(const char *data, DWORD bytes)
    {
        // Only one receive is outstanding: the pending bytes are ours alone.
        pending_.insert(pending_.end(), data, data + bytes);
        size_t off = 0, frames = 0;
        bool bad = false;
        while (pending_.size() - off >= 4) {
            const unsigned char *p = reinterpret_cast<const unsigned char *>(pending_.data() + off);
            DWORD len = static_cast<DWORD>(p[0]) | static_cast<DWORD>(p[1]) << 8 |
                        static_cast<DWORD>(p[2]) << 16 | static_cast<DWORD>(p[3]) << 24;
            if (len == 0 || len > kMaxPayload) {
                bad = true;
                break;
            }
            if (pending_.size() - off < 4 + static_cast<size_t>(len))
                break;
            off += 4 + len;
            frames++;
        }
        if (frames > 0) {
            // Every complete frame of this receive in one buffer, shared by
            // all sessions: one allocation however many sessions there are.
            SendBuffer *buf = SendBuffer::Create(static_cast<DWORD>(off), static_cast<DWORD>(frames));
            if (buf == nullptr)
                return false;
            std::memcpy(buf->Data(), pending_.data(), off);
            pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(off));
            InterlockedExchangeAdd64(&g_messages, static_cast<LONG64>(frames));
            InterlockedIncrement64(&g_broadcasts);
            InterlockedIncrement64(&g_buffers);
            g_set.Broadcast(buf);
            buf->Release();
        }
        if (bad) {
            std::fprintf(stderr, "chat_server: bad frame length, closing a session\n");
            return false;
        }
        return true;
    }

private:
    volatile LONG refs_ = 1;                 // the creator's, handed to the set
    std::vector<char> pending_;              // received bytes not yet a whole frame
};

class PlainSession final : public Session, public IoHandler {
public:
    explicit PlainSession(SOCKET s) : sock_(s), recv_io_(IoType::Recv, this), send_io_(IoType::Send, this)
    {
        InitializeCriticalSection(&lock_);
        recv_buf_.resize(kRecvSize);
    }

    void Start() override
    {
        Join();
        PostRecv();
    }

    // Queues a reference to buf; posts a WSASend unless one is outstanding.
    void Send(SendBuffer *buf) override
    {
        EnterCriticalSection(&lock_);
        if (sock_ != INVALID_SOCKET) {
            queue_.emplace_back(buf);
            if (!sending_)
                PostSendLocked();
        }
        LeaveCriticalSection(&lock_);
    }

    void Close() override
    {
        EnterCriticalSection(&lock_);
        if (sock_ != INVALID_SOCKET) {
            closesocket(sock_);
            sock_ = INVALID_SOCKET;
        }
        LeaveCriticalSection(&lock_);
    }

    void OnComplete(IoContext *io, BOOL ok, DWORD bytes) override
    {
        if (io->type == IoType::Recv)
            OnRecv(ok, bytes);
        else
            OnSend(ok, bytes);
        Release();                           // the reference of the finished op
    }

private:
    ~PlainSession() override
    {
        if (sock_ != INVALID_SOCKET)
            closesocket(sock_);
        DeleteCriticalSection(&lock_);
    }

    void PostRecv()
    {
        bool posted = false;
        EnterCriticalSection(&lock_);
        if (sock_ != INVALID_SOCKET) {
            WSABUF wb;
            DWORD n = 0, flags = 0;
            wb.buf = recv_buf_.data();
            wb.len = kRecvSize;
            recv_io_.Reset();
            AddRef();
            if (WSARecv(sock_, &wb, 1, &n, &flags, &recv_io_.ovl, nullptr) == 0 ||
                WSAGetLastError() == WSA_IO_PENDING)
                posted = true;
            else
                Release();                   // no packet will come
        }
        LeaveCriticalSection(&lock_);
        if (!posted)
            Leave();
    }

    void OnRecv(BOOL ok, DWORD bytes)
    {
        if (!ok || bytes == 0 || !OnReceived(recv_buf_.data(), bytes)) {
            Leave();
            return;
        }
        PostRecv();
    }

    // Under lock_, with sending_ false and something queued: gathers what
    // is queued (up to kMaxBatch buffers) into one WSASend.
    void PostSendLocked()
    {
        WSABUF wb[kMaxBatch];
        DWORD count = 0, n = 0;
        size_t skip = send_offset_;
        for (const BufferRef &b : queue_) {
            if (count == kMaxBatch)
                break;
            wb[count].buf = b->Data() + skip;
            wb[count].len = b->Size() - static_cast<DWORD>(skip);
            skip = 0;
            count++;
        }
        send_io_.Reset();
        sending_ = true;
        AddRef();
        if (WSASend(sock_, wb, count, &n, 0, &send_io_.ovl, nullptr) != 0 &&
            WSAGetLastError() != WSA_IO_PENDING) {
            // The peer is gone. Close: the recv path leaves the set.
            sending_ = false;
            queue_.clear();
            closesocket(sock_);
            sock_ = INVALID_SOCKET;
            Release();                       // never the last: the caller holds one
        }
    }

    void OnSend(BOOL ok, DWORD bytes)
    {
        LONG64 delivered = 0;
        EnterCriticalSection(&lock_);
        sending_ = false;
        if (!ok || sock_ == INVALID_SOCKET) {
            queue_.clear();
            if (sock_ != INVALID_SOCKET) {
                closesocket(sock_);
                sock_ = INVALID_SOCKET;
            }
        } else {
            // Drop what was wholly sent; a partial send leaves an offset into
            // the front buffer and the rest is posted again below.
            size_t left = bytes;
            while (left > 0 && !queue_.empty()) {
                size_t rest = queue_.front()->Size() - send_offset_;
                if (left < rest) {
                    send_offset_ += left;
                    break;
                }
                left -= rest;
                delivered += queue_.front()->Frames();
                send_offset_ = 0;
                queue_.pop_front();
            }
            if (!queue_.empty())
                PostSendLocked();
        }
        LeaveCriticalSection(&lock_);
        if (delivered > 0)
            InterlockedExchangeAdd64(&g_delivered, delivered);
    }

    SOCKET sock_;                            // under lock_ once started
    CRITICAL_SECTION lock_;
    IoContext recv_io_, send_io_;
    std::vector<char> recv_buf_;
    std::deque<BufferRef> queue_;            // under lock_
    size_t send_offset_ = 0;                 // under lock_: bytes of the front already sent
    bool sending_ = false;                   // under lock_: a WSASend is outstanding
};

// ---------------------------------------------------------------------------
// The completion queue every RioSession shares. Its notification is armed
// one packet at a time, so only one worker dequeues at once, as RIO
// requires of RIODequeueCompletion, while the results taken are handled by
// as many workers as there are batches; requests are posted from any
// worker, each request queue under its session's lock.
class RioCore final : public IoHandler {
public:
    RIO_EXTENSION_FUNCTION_TABLE table{};
    RIO_CQ cq = RIO_INVALID_CQ;

    // capacity: how many RioSessions the queue is sized for.
    bool Open(HANDLE port, DWORD capacity);
    void Close()
    {
        if (cq != RIO_INVALID_CQ)
            table.RIOCloseCompletionQueue(cq);
        cq = RIO_INVALID_CQ;
    }
    void OnComplete(IoContext *io, BOOL ok, DWORD bytes) override;

private:
    IoContext notify_io_{IoType::RioNotify, this};
};

constexpr DWORD kRioSends = kMaxBatch;       // RIOSends outstanding per session: one batch
constexpr DWORD kRioRecvSize = 16384;
constexpr ULONG kResultBatch = 256;
volatile LONG64 g_rio_sessions;
volatile LONG64 g_rio_fallbacks;             // RioSessions that could not be made

class RioSession final : public Session {
public:
    // A session whose request queue is made, or nullptr (the socket is then
    // still the caller's, untouched but for the registered buffer freed).
    static RioSession *Create(SOCKET s, RioCore &core)
    {
        RioSession *session = new RioSession(s, core);
        session->recv_id_ = core.table.RIORegisterBuffer(session->recv_buf_.data(), kRioRecvSize);
        if (session->recv_id_ != RIO_INVALID_BUFFERID)
            session->rq_ = core.table.RIOCreateRequestQueue(s, 1, 1, kRioSends, 1, core.cq, core.cq, session);
        if (session->rq_ == RIO_INVALID_RQ) {
            session->sock_ = INVALID_SOCKET;
            session->Release();
            return nullptr;
        }
        return session;
    }

    void Start() override
    {
        Join();
        PostRecv();
    }

    void Send(SendBuffer *buf) override
    {
        EnterCriticalSection(&lock_);
        if (sock_ != INVALID_SOCKET) {
            // One batch outstanding at a time, as the plain session keeps one
            // WSASend: what comes meanwhile goes out as the next batch.
            if (sends_ == 0 && overflow_.empty())
                PostSendLocked(buf, 0);
            else
                overflow_.emplace_back(buf);
        }
        LeaveCriticalSection(&lock_);
    }

    void Close() override
    {
        EnterCriticalSection(&lock_);
        AbortLocked();
        LeaveCriticalSection(&lock_);
    }

    // One result from the completion queue; the request's reference ends here.
    void OnResult(const RIORESULT &r)
    {
        if (r.RequestContext == 0) {
            if (r.Status != 0 || r.BytesTransferred == 0 || !OnReceived(recv_buf_.data(), r.BytesTransferred))
                Leave();
            else
                PostRecv();
        } else {
            OnSent(reinterpret_cast<SendBuffer *>(static_cast<ULONG_PTR>(r.RequestContext)), r.Status,
                   r.BytesTransferred);
        }
        Release();
    }

private:
    RioSession(SOCKET s, RioCore &core) : sock_(s), rio_(core.table)
    {
        InitializeCriticalSection(&lock_);
        recv_buf_.resize(kRioRecvSize);
    }
    ~RioSession() override
    {
        if (sock_ != INVALID_SOCKET)
            closesocket(sock_);
        // No request names the buffer any more: each held a reference.
        if (recv_id_ != RIO_INVALID_BUFFERID)
            rio_.RIODeregisterBuffer(recv_id_);
        DeleteCriticalSection(&lock_);
    }

    void PostRecv()
    {
        bool posted = false;
        EnterCriticalSection(&lock_);
        if (sock_ != INVALID_SOCKET) {
            RIO_BUF b;
            b.BufferId = recv_id_;
            b.Offset = 0;
            b.Length = kRioRecvSize;
            AddRef();
            if (rio_.RIOReceive(rq_, &b, 1, 0, nullptr))
                posted = true;
            else
                Release();                   // no result will come
        }
        LeaveCriticalSection(&lock_);
        if (!posted)
            Leave();
    }

    // Under lock_ with room for one more send. flags: RIO_MSG_DEFER when
    // more follow at once.
    bool PostSendLocked(SendBuffer *buf, DWORD flags)
    {
        RIO_BUF b = buf->RioBuf();
        buf->AddRef();
        AddRef();
        if (rio_.RIOSend(rq_, &b, 1, flags, buf)) {
            sends_++;
            return true;
        }
        buf->Release();
        Release();                           // never the last: the caller holds one
        AbortLocked();                       // the receive path then leaves
        return false;
    }

    void AbortLocked()
    {
        if (sock_ != INVALID_SOCKET) {
            closesocket(sock_);              // outstanding requests end aborted
            sock_ = INVALID_SOCKET;
        }
        overflow_.clear();
    }

    void OnSent(SendBuffer *buf, LONG status, ULONG bytes)
    {
        LONG64 delivered = 0;
        EnterCriticalSection(&lock_);
        sends_--;
        if (status != 0 || bytes != buf->Size() || sock_ == INVALID_SOCKET) {
            AbortLocked();
        } else {
            delivered = buf->Frames();
            // The next batch once the last one is done: every send but the
            // last deferred, so that the batch is committed at once (one
            // submission, and on a stream one gathered write on Linux).
            size_t n = sends_ == 0 ? overflow_.size() : 0;
            if (n > kRioSends)
                n = kRioSends;
            for (size_t i = 0; i < n; i++) {
                if (!PostSendLocked(overflow_.front().Get(), i + 1 < n ? RIO_MSG_DEFER : 0))
                    break;
                overflow_.pop_front();
            }
        }
        LeaveCriticalSection(&lock_);
        buf->Release();                      // the send's reference
        if (delivered > 0)
            InterlockedExchangeAdd64(&g_delivered, delivered);
    }

    SOCKET sock_;                            // under lock_ once started
    const RIO_EXTENSION_FUNCTION_TABLE &rio_;
    CRITICAL_SECTION lock_;
    RIO_RQ rq_ = RIO_INVALID_RQ;             // freed by closesocket
    RIO_BUFFERID recv_id_ = RIO_INVALID_BUFFERID;
    std::vector<char> recv_buf_;
    std::deque<BufferRef> overflow_;         // under lock_: waits for room
    DWORD sends_ = 0;                        // under lock_: RIOSend outstanding
};

bool RioCore::Open(HANDLE port, DWORD capacity)
{
    // The table comes from any RIO socket; this one exists only to ask.
    SOCKET s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0,
                          WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO);
    if (s == INVALID_SOCKET)
        return false;
    GUID guid = WSAID_MULTIPLE_RIO;
    DWORD n = 0;
    table.cbSize = sizeof(table);
    int rc = WSAIoctl(s, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &table, sizeof(table), &n,
                      nullptr, nullptr);
    int error = WSAGetLastError();
    closesocket(s);
    if (rc == SOCKET_ERROR) {
        WSASetLastError(error);
        return false;
    }
    RIO_NOTIFICATION_COMPLETION how;
    std::memset(&how, 0, sizeof(how));
    how.Type = RIO_IOCP_COMPLETION;
    how.Iocp.IocpHandle = port;
    how.Iocp.CompletionKey = nullptr;
    how.Iocp.Overlapped = &notify_io_.ovl;
    // Room for every request of every session: a result is never refused.
    cq = table.RIOCreateCompletionQueue(capacity * (1 + kRioSends), &how);
    return cq != RIO_INVALID_CQ && table.RIONotify(cq) == 0;
}

void RioCore::OnComplete(IoContext *, BOOL, DWORD)
{
    // One batch is taken, then the notification is armed again before the
    // batch is worked on: RIO forbids two dequeues at once, not two workers
    // handling results, so another worker takes the next batch meanwhile
    // (results still there fire the packet at once).
    RIORESULT results[kResultBatch];
    ULONG n = table.RIODequeueCompletion(cq, results, kResultBatch);
    if (n == RIO_CORRUPT_CQ) {
        std::fprintf(stderr, "chat_server: RIODequeueCompletion: the completion queue is corrupt\n");
        return;
    }
    int rc = table.RIONotify(cq);
    if (rc != 0)
        std::fprintf(stderr, "chat_server: RIONotify failed: %d\n", rc);
    for (ULONG i = 0; i < n; i++)
        reinterpret_cast<RioSession *>(static_cast<ULONG_PTR>(results[i].SocketContext))->OnResult(results[i]);
}

void SessionSet::Add(Session *s)
{
    AcquireSRWLockExclusive(&lock_);
    sessions_.push_back(s);                  // takes over the creator's reference
    ReleaseSRWLockExclusive(&lock_);
}

void SessionSet::Remove(Session *s)
{
    bool found = false;
    AcquireSRWLockExclusive(&lock_);
    for (size_t i = 0; i < sessions_.size(); i++) {
        if (sessions_[i] == s) {
            sessions_[i] = sessions_.back();
            sessions_.pop_back();
            found = true;
            break;
        }
    }
    ReleaseSRWLockExclusive(&lock_);
    if (found)
        s->Release();
}

void SessionSet::Broadcast(SendBuffer *buf)
{
    AcquireSRWLockShared(&lock_);
    for (Session *s : sessions_)
        s->Send(buf);
    ReleaseSRWLockShared(&lock_);
}

void SessionSet::CloseAll()
{
    AcquireSRWLockShared(&lock_);
    for (Session *s : sessions_)
        s->Close();
    ReleaseSRWLockShared(&lock_);
}

// ---------------------------------------------------------------------------
enum class SessionKind { Plain, Rio, Mixed };

class Listener final : public IoHandler {
public:
    // rio: where RioSessions live, or nullptr for plain sessions only.
    Listener(IocpCore &core, RioCore *rio, SessionKind kind) : core_(core), rio_(rio), kind_(kind)
    {
        InitializeCriticalSection(&lock_);
        // RIO needs the flag on the accepted socket; plain I/O does not mind it.
        socket_flags_ = WSA_FLAG_OVERLAPPED | (rio != nullptr ? WSA_FLAG_REGISTERED_IO : 0);
    }
    ~Listener() override { DeleteCriticalSection(&lock_); }

    // Returns the port actually bound (0 on failure).
    unsigned short Open(unsigned short port, DWORD accepts)
    {
        sock_ = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, socket_flags_);
        if (sock_ == INVALID_SOCKET)
            return Fail("socket");
        int one = 1;
        setsockopt(sock_, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<char *>(&one), sizeof(one));
        sockaddr_in addr;
        std::memset(&addr, 0, sizeof(addr));
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(port);
        int len = sizeof(addr);
        if (bind(sock_, reinterpret_cast<sockaddr *>(&addr), len) == SOCKET_ERROR ||
            listen(sock_, SOMAXCONN) == SOCKET_ERROR ||
            getsockname(sock_, reinterpret_cast<sockaddr *>(&addr), &len) == SOCKET_ERROR)
            return Fail("bind/listen");
        GUID guid = WSAID_ACCEPTEX;
        DWORD n = 0;
        if (WSAIoctl(sock_, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &accept_ex_,
                     sizeof(accept_ex_), &n, nullptr, nullptr) == SOCKET_ERROR)
            return Fail("WSAIoctl(AcceptEx)");
        if (!core_.Associate(sock_))
            return Fail("CreateIoCompletionPort(listener)");
        for (DWORD i = 0; i < accepts; i++) {
            AcceptContext *a = new AcceptContext(this);
            InterlockedIncrement(&pending_);
            if (!PostAccept(a)) {
                InterlockedDecrement(&pending_);
                delete a;
                return 0;
            }
        }
        return ntohs(addr.sin_port);
    }

    // Closing the listener aborts the pool; under the lock so that no worker
    // re-posts on a closed socket.
    void Close()
    {
        EnterCriticalSection(&lock_);
        closed_ = true;
        if (sock_ != INVALID_SOCKET) {
            closesocket(sock_);
            sock_ = INVALID_SOCKET;
        }
        LeaveCriticalSection(&lock_);
    }

    LONG Pending() { return InterlockedCompareExchange(&pending_, 0, 0); }

    void OnComplete(IoContext *io, BOOL ok, DWORD) override
    {
        AcceptContext *a = reinterpret_cast<AcceptContext *>(io);
        SOCKET s = a->sock;
        a->sock = INVALID_SOCKET;
        bool reposted = PostAccept(a);       // keep the pool full first
        if (ok)
            StartSession(s);
        else
            closesocket(s);
        if (!reposted) {
            delete a;
            InterlockedDecrement(&pending_);  // last: shutdown waits for it
        }
    }

private:
    struct AcceptContext {
        IoContext io;                        // first: the OVERLAPPED's address
        SOCKET sock = INVALID_SOCKET;
        char addrs[2 * kAcceptAddrLen];
        explicit AcceptContext(Listener *l) : io(IoType::Accept, l) {}
    };

    unsigned short Fail(const char *what)
    {
        std::fprintf(stderr, "chat_server: %s failed: %d\n", what, WSAGetLastError());
        return 0;
    }

    bool PostAccept(AcceptContext *a)
    {
        bool posted = false;
        EnterCriticalSection(&lock_);
        if (!closed_) {
            a->sock = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, socket_flags_);
            if (a->sock != INVALID_SOCKET) {
                DWORD n = 0;
                a->io.Reset();
                if (accept_ex_(sock_, a->sock, a->addrs, 0, kAcceptAddrLen, kAcceptAddrLen, &n, &a->io.ovl) ||
                    WSAGetLastError() == ERROR_IO_PENDING) {
                    posted = true;
                } else {
                    std::fprintf(stderr, "chat_server: AcceptEx failed: %d\n", WSAGetLastError());
                    closesocket(a->sock);
                    a->sock = INVALID_SOCKET;
                }
            }
        }
        LeaveCriticalSection(&lock_);
        return posted;
    }

    // Under the listener's lock, so that a session either starts before
    // shutdown's Close (and CloseAll then closes it) or not at all.
    void StartSession(SOCKET s)
    {
        EnterCriticalSection(&lock_);
        if (closed_ ||
            setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, reinterpret_cast<char *>(&sock_),
                       sizeof(sock_)) == SOCKET_ERROR ||
            !core_.Associate(s)) {
            closesocket(s);
        } else {
            int one = 1;
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<char *>(&one), sizeof(one));
            LONG64 nth = InterlockedIncrement64(&g_sessions);
            Session *session = nullptr;
            if (kind_ == SessionKind::Rio || (kind_ == SessionKind::Mixed && nth % 2 == 0)) {
                session = RioSession::Create(s, *rio_);
                if (session != nullptr)
                    InterlockedIncrement64(&g_rio_sessions);
                else if (InterlockedIncrement64(&g_rio_fallbacks) == 1)
                    std::fprintf(stderr, "chat_server: no room for another RIO session (%d): plain ones from now\n",
                                 WSAGetLastError());
            }
            if (session == nullptr)
                session = new PlainSession(s);
            session->Start();
        }
        LeaveCriticalSection(&lock_);
    }

    IocpCore &core_;
    RioCore *rio_;
    SessionKind kind_;
    DWORD socket_flags_;
    CRITICAL_SECTION lock_;
    SOCKET sock_ = INVALID_SOCKET;           // under lock_ after Open
    bool closed_ = false;                    // under lock_
    LPFN_ACCEPTEX accept_ex_ = nullptr;
    volatile LONG pending_ = 0;              // AcceptContexts alive
};

void Usage()
{
    std::fprintf(stderr, "usage: chat_server [--port N (default 5556, 0 = any)]"
                         " [--threads N (default: 2 per processor)] [--accepts N (default 32)]"
                         " [--max-seconds N (default: no limit)] [--sessions plain|rio|mixed (default plain)]"
                         " [--rio-capacity N (default 2048)]\n");
}

bool ParseUint(const char *s, unsigned long max, unsigned long *out)
{
    if (s == nullptr || *s == '\0' || *s == '-')
        return false;
    char *end;
    unsigned long v = std::strtoul(s, &end, 10);
    if (*end != '\0' || v > max)
        return false;
    *out = v;
    return true;
}

LONG64 Read(volatile LONG64 *v) { return InterlockedCompareExchange64(v, 0, 0); }

}  // namespace

int main(int argc, char **argv)
{
    unsigned long port = 5556, threads = 0, accepts = 32, max_seconds = 0, rio_capacity = 2048;
    SessionKind kind = SessionKind::Plain;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : nullptr;
        if (std::strcmp(arg, "--sessions") == 0 && val != nullptr) {
            i++;
            if (std::strcmp(val, "plain") == 0)
                kind = SessionKind::Plain;
            else if (std::strcmp(val, "rio") == 0)
                kind = SessionKind::Rio;
            else if (std::strcmp(val, "mixed") == 0)
                kind = SessionKind::Mixed;
            else {
                Usage();
                return 2;
            }
            continue;
        }
        if (std::strcmp(arg, "--rio-capacity") == 0 && ParseUint(val, 1u << 20, &rio_capacity) && rio_capacity > 0) {
            i++;
            continue;
        }
        if (std::strcmp(arg, "--port") == 0 && ParseUint(val, 65535, &port))
            i++;
        else if (std::strcmp(arg, "--threads") == 0 && ParseUint(val, 256, &threads) && threads > 0)
            i++;
        else if (std::strcmp(arg, "--accepts") == 0 && ParseUint(val, 1024, &accepts) && accepts > 0)
            i++;
        else if (std::strcmp(arg, "--max-seconds") == 0 && ParseUint(val, 86400, &max_seconds))
            i++;
        else {
            Usage();
            return 2;
        }
    }
    if (threads == 0) {
        SYSTEM_INFO si;
        GetSystemInfo(&si);
        threads = si.dwNumberOfProcessors * 2;   // two per processor, as usual
        if (threads == 0)
            threads = 2;
    }

    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        std::fprintf(stderr, "chat_server: WSAStartup failed\n");
        return 1;
    }
    g_stop_event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
    if (g_stop_event == nullptr)
        return 1;
    int status = 0;
    {
        IocpCore core;
        RioCore rio;
        bool use_rio = kind != SessionKind::Plain;
        if (!core.Valid() || !core.Start(static_cast<DWORD>(threads))) {
            std::fprintf(stderr, "chat_server: cannot start the completion port: %lu\n",
                         static_cast<unsigned long>(GetLastError()));
            return 1;
        }
        if (use_rio) {
            if (!rio.Open(core.Port(), static_cast<DWORD>(rio_capacity))) {
                std::fprintf(stderr, "chat_server: Registered I/O is not available: %d\n", WSAGetLastError());
                return 1;
            }
            g_rio = &rio.table;
            g_pool = new RioBufferPool(rio.table);
        }
        Listener listener(core, use_rio ? &rio : nullptr, kind);
        unsigned short bound = listener.Open(static_cast<unsigned short>(port), static_cast<DWORD>(accepts));
        if (bound == 0)
            return 1;
        if (!SetConsoleCtrlHandler(ConsoleHandler, TRUE)) {
            std::fprintf(stderr, "chat_server: SetConsoleCtrlHandler failed\n");
            return 1;
        }
        // Never waited for: it may stay in fgets until the process exits.
        HANDLE watcher = CreateThread(nullptr, 0, StdinWatcher, nullptr, 0, nullptr);
        if (watcher != nullptr)
            CloseHandle(watcher);
        static const char *const kinds[] = {"plain", "rio", "mixed"};
        std::printf("chat_server: listening on 127.0.0.1:%u with %lu worker threads, %lu AcceptEx posted,"
                    " %s sessions\n",
                    static_cast<unsigned>(bound), threads, accepts, kinds[static_cast<int>(kind)]);
        std::fflush(stdout);
        ULONGLONG started = GetTickCount64();

        WaitForSingleObject(g_stop_event, max_seconds > 0 ? static_cast<DWORD>(max_seconds * 1000) : INFINITE);

        // Listener first, so no session starts after CloseAll; a session
        // started in between finds the listener closed and closes itself.
        listener.Close();
        g_set.CloseAll();
        ULONGLONG until = GetTickCount64() + 10000;
        while ((listener.Pending() > 0 || InterlockedCompareExchange(&g_live_sessions, 0, 0) > 0) &&
               GetTickCount64() < until)
            Sleep(10);
        bool stopped = core.Stop();
        LONG buffers = InterlockedCompareExchange(&g_live_buffers, 0, 0);
        if (use_rio) {
            rio.Close();
            // Its registrations may go only once no buffer is left in it.
            if (stopped && buffers == 0) {
                delete g_pool;
                g_pool = nullptr;
            }
        }

        static const char *const reasons[] = {"time limit", "stdin", "ctrl-c"};
        LONG live = InterlockedCompareExchange(&g_live_sessions, 0, 0);
        std::printf("chat_server: summary: sessions %lld, rio sessions %lld, rio fallbacks %lld, messages %lld, broadcasts %lld, send buffers %lld,"
                    " frames delivered %lld, still open %ld, buffers alive %ld, accepts pending %ld,"
                    " %.1f s, stopped by %s\n",
                    static_cast<long long>(Read(&g_sessions)), static_cast<long long>(Read(&g_rio_sessions)),
                    static_cast<long long>(Read(&g_rio_fallbacks)), static_cast<long long>(Read(&g_messages)),
                    static_cast<long long>(Read(&g_broadcasts)), static_cast<long long>(Read(&g_buffers)),
                    static_cast<long long>(Read(&g_delivered)), static_cast<long>(live),
                    static_cast<long>(buffers), static_cast<long>(listener.Pending()),
                    static_cast<double>(GetTickCount64() - started) / 1000.0,
                    reasons[InterlockedCompareExchange(&g_stop_reason, 0, 0)]);
        std::fflush(stdout);
        SetConsoleCtrlHandler(ConsoleHandler, FALSE);
        if (!stopped || live != 0 || buffers != 0 || listener.Pending() != 0)
            status = 1;
    }
    CloseHandle(g_stop_event);
    WSACleanup();
    return status;
}
