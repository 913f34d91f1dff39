/*
 * A broadcast chat server in C++17 over an I/O completion port, in the
 * IocpCore style many game servers use. Plain Win32 + standard C++: it builds
 * unchanged against the Windows SDK (MSVC or mingw-w64) and against
 * iocpcompat on Linux.
 *
 *   chat_server [--port N] [--threads N] [--accepts N] [--max-seconds N]
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
 *   Session     one connection: one WSARecv always outstanding, and a send
 *               queue with at most one WSASend outstanding (the rest waits;
 *               partial sends are continued).
 *   SessionSet  the joined sessions, under an SRWLOCK: broadcasts share it,
 *               join/leave take it exclusively.
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
// One allocation per broadcast: the header and the bytes in one block, shared
// by every session's queue through an intrusive reference count.
class SendBuffer {
public:
    static SendBuffer *Create(DWORD size, DWORD frames)
    {
        void *mem = ::operator new(sizeof(SendBuffer) + size, std::nothrow);
        if (mem == nullptr)
            return nullptr;
        InterlockedIncrement(&g_live_buffers);
        return new (mem) SendBuffer(size, frames);
    }
    char *Data() { return reinterpret_cast<char *>(this + 1); }
    DWORD Size() const { return size_; }
    DWORD Frames() const { return frames_; }
    void AddRef() { InterlockedIncrement(&refs_); }
    void Release()
    {
        if (InterlockedDecrement(&refs_) == 0) {
            this->~SendBuffer();
            ::operator delete(this);
            InterlockedDecrement(&g_live_buffers);
        }
    }

private:
    SendBuffer(DWORD size, DWORD frames) : refs_(1), size_(size), frames_(frames) {}
    ~SendBuffer() = default;
    volatile LONG refs_;
    DWORD size_;
    DWORD frames_;                           // client frames inside, for the count
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

private:
    SendBuffer *b_;
};

// ---------------------------------------------------------------------------
class IoHandler;

enum class IoType { Accept, Recv, Send };

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

class Session final : public IoHandler {
public:
    explicit Session(SOCKET s) : sock_(s), recv_io_(IoType::Recv, this), send_io_(IoType::Send, this)
    {
        InitializeCriticalSection(&lock_);
        InterlockedIncrement(&g_live_sessions);
        recv_buf_.resize(kRecvSize);
    }

    void AddRef() { InterlockedIncrement(&refs_); }
    void Release()
    {
        if (InterlockedDecrement(&refs_) == 0)
            delete this;
    }

    // Joins the set, says so with the empty frame, and starts receiving.
    void Start()
    {
        g_set.Add(this);
        SendBuffer *hello = SendBuffer::Create(4, 0);
        if (hello != nullptr) {
            std::memset(hello->Data(), 0, 4);
            Send(hello);
            hello->Release();
        }
        PostRecv();
    }

    // Queues a reference to buf; posts a WSASend unless one is outstanding.
    void Send(SendBuffer *buf)
    {
        EnterCriticalSection(&lock_);
        if (sock_ != INVALID_SOCKET) {
            queue_.emplace_back(buf);
            if (!sending_)
                PostSendLocked();
        }
        LeaveCriticalSection(&lock_);
    }

    // Closing the socket aborts whatever is pending; the recv path, which
    // always has a WSARecv outstanding, then leaves the set.
    void Close()
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
    ~Session() override
    {
        if (sock_ != INVALID_SOCKET)
            closesocket(sock_);
        DeleteCriticalSection(&lock_);
        InterlockedDecrement(&g_live_sessions);
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

    // Leaving the set is done only here, on the recv path, never from inside
    // a broadcast (which holds the set's lock shared).
    void Leave()
    {
        Close();
        g_set.Remove(this);
    }

    void OnRecv(BOOL ok, DWORD bytes)
    {
        if (!ok || bytes == 0) {
            Leave();
            return;
        }
        // Only one WSARecv is outstanding: the pending bytes are ours alone.
        pending_.insert(pending_.end(), recv_buf_.data(), recv_buf_.data() + bytes);
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
            if (buf == nullptr) {
                Leave();
                return;
            }
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

    volatile LONG refs_ = 1;                 // the creator's, handed to the set
    SOCKET sock_;                            // under lock_ once started
    CRITICAL_SECTION lock_;
    IoContext recv_io_, send_io_;
    std::vector<char> recv_buf_;
    std::vector<char> pending_;              // received bytes not yet a whole frame
    std::deque<BufferRef> queue_;            // under lock_
    size_t send_offset_ = 0;                 // under lock_: bytes of the front already sent
    bool sending_ = false;                   // under lock_: a WSASend is outstanding
};

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
class Listener final : public IoHandler {
public:
    explicit Listener(IocpCore &core) : core_(core) { InitializeCriticalSection(&lock_); }
    ~Listener() override { DeleteCriticalSection(&lock_); }

    // Returns the port actually bound (0 on failure).
    unsigned short Open(unsigned short port, DWORD accepts)
    {
        sock_ = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
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
            a->sock = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
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
            InterlockedIncrement64(&g_sessions);
            Session *session = new Session(s);
            session->Start();
        }
        LeaveCriticalSection(&lock_);
    }

    IocpCore &core_;
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
                         " [--max-seconds N (default: no limit)]\n");
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
    unsigned long port = 5556, threads = 0, accepts = 32, max_seconds = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : nullptr;
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
        Listener listener(core);
        if (!core.Valid() || !core.Start(static_cast<DWORD>(threads))) {
            std::fprintf(stderr, "chat_server: cannot start the completion port: %lu\n",
                         static_cast<unsigned long>(GetLastError()));
            return 1;
        }
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
        std::printf("chat_server: listening on 127.0.0.1:%u with %lu worker threads, %lu AcceptEx posted\n",
                    static_cast<unsigned>(bound), threads, accepts);
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

        static const char *const reasons[] = {"time limit", "stdin", "ctrl-c"};
        LONG live = InterlockedCompareExchange(&g_live_sessions, 0, 0);
        LONG buffers = InterlockedCompareExchange(&g_live_buffers, 0, 0);
        std::printf("chat_server: summary: sessions %lld, messages %lld, broadcasts %lld, send buffers %lld,"
                    " frames delivered %lld, still open %ld, buffers alive %ld, accepts pending %ld,"
                    " %.1f s, stopped by %s\n",
                    static_cast<long long>(Read(&g_sessions)), static_cast<long long>(Read(&g_messages)),
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
