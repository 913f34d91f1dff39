/*
 * Test client for chat_server, in C++17 over an I/O completion port (plain
 * Win32 + standard C++: builds unchanged against the Windows SDK and against
 * iocpcompat on Linux).
 *
 *   chat_client [--host A.B.C.D] [--port N] [--sessions N] [--messages M]
 *               [--max-size BYTES] [--threads N] [--timeout-seconds N]
 *
 * Opens N sessions and waits until the server has said "joined" (an empty
 * frame) to every one of them, so that every session is in the broadcast set
 * before anybody talks. Then each session sends M messages, closed loop: it
 * sends message k+1 once its WSASend of message k has completed and message k
 * has come back to it through the broadcast (the server relays to the sender
 * too). That keeps at most N messages in flight, whatever N and M are.
 *
 * A message is a frame (4-byte little-endian length, payload) whose payload
 * is: sender index (4 bytes LE), sequence number (4 bytes LE), then filler
 * bytes that depend on (sender, sequence, offset); its length also depends on
 * (sender, sequence). Every session checks every frame it receives: known
 * sender, the sequence number the next one expected from that sender (a gap
 * is a loss or reordering, a repeat a duplicate), the length and every
 * filler byte. At the end every session must have received exactly N*M
 * messages, M from each sender, in order.
 *
 * Prints one result table and RESULT: PASS or FAIL; exits 0 only on PASS,
 * 1 otherwise, 2 on bad arguments.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr DWORD kHeader = 4;
constexpr DWORD kPrefix = 8;                 // sender + sequence
constexpr DWORD kRecvSize = 65536;

struct Config {
    DWORD sessions = 50;
    DWORD messages = 20;
    DWORD max_size = 256;                    // largest payload
};
Config g_cfg;

DWORD Mix(DWORD a, DWORD b, DWORD c)
{
    DWORD h = a * 0x9E3779B1u + b * 0x85EBCA77u + c * 0xC2B2AE3Du;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    h *= 0x297A2D39u;
    h ^= h >> 15;
    return h;
}

DWORD PayloadSize(DWORD sender, DWORD seq)
{
    return kPrefix + Mix(sender, seq, 0xFFFFFFFFu) % (g_cfg.max_size - kPrefix + 1);
}

unsigned char Filler(DWORD sender, DWORD seq, DWORD off)
{
    return static_cast<unsigned char>(Mix(sender, seq, off));
}

void PutLe32(char *p, DWORD v)
{
    p[0] = static_cast<char>(v & 0xFF);
    p[1] = static_cast<char>((v >> 8) & 0xFF);
    p[2] = static_cast<char>((v >> 16) & 0xFF);
    p[3] = static_cast<char>((v >> 24) & 0xFF);
}

DWORD GetLe32(const char *p)
{
    const unsigned char *u = reinterpret_cast<const unsigned char *>(p);
    return static_cast<DWORD>(u[0]) | static_cast<DWORD>(u[1]) << 8 | static_cast<DWORD>(u[2]) << 16 |
           static_cast<DWORD>(u[3]) << 24;
}

// Results, from every worker.
HANDLE g_port;
HANDLE g_joined_event, g_done_event;
volatile LONG g_joined;
volatile LONG g_finished;                    // sessions done (all received, or failed)
volatile LONG64 g_received;                  // messages received and verified
volatile LONG64 g_sent;                      // messages wholly sent
volatile LONG64 g_bytes;                     // payload bytes verified
volatile LONG64 g_lost, g_dups, g_corrupt, g_io_errors;
// Operations posted whose packet has not been handled yet. An OVERLAPPED
// belongs to the system until its packet comes, even after closesocket, so
// sessions are freed only once this is back to zero.
volatile LONG g_outstanding;
volatile LONG g_closing;
volatile LONG g_first_error_set;
char g_first_error[256];

// Counts an error and keeps the text of the first one; arguments the format
// does not use are ignored, as printf ignores extra arguments.
void NoteError(volatile LONG64 *counter, const char *fmt, unsigned long a, unsigned long b = 0,
               unsigned long c = 0, unsigned long d = 0)
{
    InterlockedIncrement64(counter);
    if (InterlockedCompareExchange(&g_first_error_set, 1, 0) == 0)
        std::snprintf(g_first_error, sizeof(g_first_error), fmt, a, b, c, d);
}

enum class Op { Send, Recv };

class Session;

struct IoContext {
    OVERLAPPED ovl;                          // first: a packet's LPOVERLAPPED
    Op op;
    Session *owner;
};

class Session {
public:
    void Init(DWORD index)
    {
        index_ = index;
        send_io_.op = Op::Send;
        recv_io_.op = Op::Recv;
        send_io_.owner = recv_io_.owner = this;
        expected_.assign(g_cfg.sessions, 0);
        recv_buf_.resize(kRecvSize);
        send_buf_.resize(kHeader + g_cfg.max_size);
    }

    SOCKET &Socket() { return sock_; }

    void PostRecv()
    {
        WSABUF wb;
        DWORD n = 0, flags = 0;
        std::memset(&recv_io_.ovl, 0, sizeof(recv_io_.ovl));
        wb.buf = recv_buf_.data();
        wb.len = kRecvSize;
        if (InterlockedCompareExchange(&g_closing, 0, 0))
            return;
        InterlockedIncrement(&g_outstanding);
        if (WSARecv(sock_, &wb, 1, &n, &flags, &recv_io_.ovl, nullptr) == SOCKET_ERROR &&
            WSAGetLastError() != WSA_IO_PENDING) {
            InterlockedDecrement(&g_outstanding);   // failed at once: no packet comes
            if (InterlockedCompareExchange(&g_closing, 0, 0))
                return;   // the socket was closed under the call by the shutdown
            NoteError(&g_io_errors, "session %lu: WSARecv failed: %lu",
                      index_, static_cast<DWORD>(WSAGetLastError()));
            Fail();
        }
    }

    // Starts message msg_ (or finishes the sending side after the last one).
    void StartMessage()
    {
        if (msg_ == g_cfg.messages) {
            Conclude();                      // the sending side is over
            return;
        }
        DWORD size = PayloadSize(index_, msg_);
        PutLe32(&send_buf_[0], size);
        PutLe32(&send_buf_[kHeader], index_);
        PutLe32(&send_buf_[kHeader + 4], msg_);
        for (DWORD i = kPrefix; i < size; i++)
            send_buf_[kHeader + i] = static_cast<char>(Filler(index_, msg_, i));
        send_len_ = kHeader + size;
        sent_ = 0;
        // Two halves: our send completing, and our message coming back.
        InterlockedExchange(&halves_, 2);
        PostSend();
    }

    void OnComplete(IoContext *io, BOOL ok, DWORD bytes)
    {
        if (io->op == Op::Recv)
            OnRecv(ok, bytes);
        else
            OnSend(ok, bytes);
    }

private:
    void PostSend()
    {
        WSABUF wb;
        DWORD n = 0;
        std::memset(&send_io_.ovl, 0, sizeof(send_io_.ovl));
        wb.buf = send_buf_.data() + sent_;
        wb.len = send_len_ - sent_;
        if (InterlockedCompareExchange(&g_closing, 0, 0))
            return;
        InterlockedIncrement(&g_outstanding);
        if (WSASend(sock_, &wb, 1, &n, 0, &send_io_.ovl, nullptr) == SOCKET_ERROR &&
            WSAGetLastError() != WSA_IO_PENDING) {
            InterlockedDecrement(&g_outstanding);   // failed at once: no packet comes
            if (InterlockedCompareExchange(&g_closing, 0, 0))
                return;   // the socket was closed under the call by the shutdown
            NoteError(&g_io_errors, "session %lu: WSASend failed: %lu",
                      index_, static_cast<DWORD>(WSAGetLastError()));
            Fail();
        }
    }

    void OnSend(BOOL ok, DWORD bytes)
    {
        if (!ok) {
            NoteError(&g_io_errors, "session %lu: send failed: %lu", index_, GetLastError());
            Fail();
            return;
        }
        sent_ += bytes;
        if (sent_ < send_len_) {
            PostSend();                      // a partial send: the rest
            return;
        }
        InterlockedIncrement64(&g_sent);
        HalfDone();
    }

    // The half that finishes last (the send, or our own message coming
    // back) starts the next message; until then the send buffer is untouched.
    void HalfDone()
    {
        if (InterlockedDecrement(&halves_) == 0) {
            msg_++;
            StartMessage();
        }
    }

    void OnRecv(BOOL ok, DWORD bytes)
    {
        if (!ok || bytes == 0) {
            if (!Finished())
                NoteError(&g_io_errors, "session %lu: connection lost (error %lu) after %lu of %lu messages",
                          index_, ok ? 0 : GetLastError(), received_,
                          g_cfg.sessions * g_cfg.messages);
            Fail();
            return;
        }
        // One WSARecv outstanding per session: this state is ours alone.
        pending_.insert(pending_.end(), recv_buf_.data(), recv_buf_.data() + bytes);
        size_t off = 0;
        while (pending_.size() - off >= kHeader) {
            DWORD len = GetLe32(&pending_[off]);
            if (len > g_cfg.max_size) {
                NoteError(&g_corrupt, "session %lu: frame of %lu bytes (max %lu)", index_, len,
                          g_cfg.max_size);
                Fail();
                return;
            }
            if (pending_.size() - off < kHeader + static_cast<size_t>(len))
                break;
            if (!OnFrame(&pending_[off + kHeader], len)) {
                Fail();
                return;
            }
            off += kHeader + len;
        }
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(off));
        PostRecv();
    }

    bool OnFrame(const char *p, DWORD len)
    {
        if (len == 0) {                      // the server's "joined" notice
            if (joined_) {
                NoteError(&g_dups, "session %lu: second joined notice", index_);
                return false;
            }
            joined_ = true;
            if (static_cast<DWORD>(InterlockedIncrement(&g_joined)) == g_cfg.sessions)
                SetEvent(g_joined_event);
            return true;
        }
        if (len < kPrefix) {
            NoteError(&g_corrupt, "session %lu: payload of %lu bytes", index_, len);
            return false;
        }
        DWORD sender = GetLe32(p), seq = GetLe32(p + 4);
        if (sender >= g_cfg.sessions || seq >= g_cfg.messages) {
            NoteError(&g_corrupt, "session %lu: message from sender %lu seq %lu", index_, sender, seq);
            return false;
        }
        DWORD want = expected_[sender];
        if (seq < want) {
            NoteError(&g_dups, "session %lu: sender %lu seq %lu again (expected %lu)", index_, sender, seq, want);
            return false;
        }
        if (seq > want) {
            NoteError(&g_lost, "session %lu: sender %lu seq %lu, expected %lu (lost or reordered)", index_,
                      sender, seq, want);
            return false;
        }
        if (len != PayloadSize(sender, seq)) {
            NoteError(&g_corrupt, "session %lu: sender %lu seq %lu has %lu bytes", index_, sender, seq, len);
            return false;
        }
        for (DWORD i = kPrefix; i < len; i++) {
            if (static_cast<unsigned char>(p[i]) != Filler(sender, seq, i)) {
                NoteError(&g_corrupt, "session %lu: sender %lu seq %lu: byte %lu differs", index_, sender, seq, i);
                return false;
            }
        }
        expected_[sender] = want + 1;
        received_++;
        InterlockedIncrement64(&g_received);
        InterlockedExchangeAdd64(&g_bytes, static_cast<LONG64>(len));
        if (Finished())
            Conclude();                      // the receiving side is over
        if (sender == index_)
            HalfDone();                      // our own message is back
        return true;
    }

    bool Finished() const { return received_ == g_cfg.sessions * g_cfg.messages; }

    // Each side (everything received, everything sent) concludes once; the
    // second one to do so counts the session as finished.
    void Conclude()
    {
        if (InterlockedIncrement(&concluded_) == 2)
            Count();
    }

    void Fail()
    {
        if (InterlockedCompareExchange(&failed_, 1, 0) == 0)
            Count();
    }

    void Count()
    {
        if (InterlockedCompareExchange(&counted_, 1, 0) != 0)
            return;
        if (static_cast<DWORD>(InterlockedIncrement(&g_finished)) == g_cfg.sessions) {
            SetEvent(g_done_event);
            SetEvent(g_joined_event);        // also wake a wait for joins
        }
    }

    DWORD index_ = 0;
    SOCKET sock_ = INVALID_SOCKET;
    IoContext send_io_{}, recv_io_{};
    // Recv side.
    std::vector<char> recv_buf_, pending_;
    std::vector<DWORD> expected_;            // next sequence number per sender
    DWORD received_ = 0;
    bool joined_ = false;
    // Send side (touched by whichever half finished last).
    std::vector<char> send_buf_;
    DWORD send_len_ = 0, sent_ = 0, msg_ = 0;
    volatile LONG halves_ = 0;
    volatile LONG concluded_ = 0, failed_ = 0, counted_ = 0;
};

DWORD WINAPI Worker(LPVOID)
{
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ovl = nullptr;
        BOOL ok = GetQueuedCompletionStatus(g_port, &bytes, &key, &ovl, INFINITE);
        if (ovl == nullptr)
            return 0;
        IoContext *io = reinterpret_cast<IoContext *>(ovl);
        io->owner->OnComplete(io, ok, bytes);
        InterlockedDecrement(&g_outstanding);
    }
}

bool ParseUint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    if (s == nullptr || *s == '\0' || *s == '-')
        return false;
    char *end;
    unsigned long v = std::strtoul(s, &end, 10);
    if (*end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

void Usage()
{
    std::fprintf(stderr, "usage: chat_client [--host 127.0.0.1] [--port 5556] [--sessions 50] [--messages 20]"
                         " [--max-size 256] [--threads 2] [--timeout-seconds 60]\n");
}

LONG64 Read(volatile LONG64 *v) { return InterlockedCompareExchange64(v, 0, 0); }

}  // namespace

int main(int argc, char **argv)
{
    unsigned long port = 5556, sessions = 50, messages = 20, max_size = 256, threads = 2, timeout = 60;
    const char *host = "127.0.0.1";
    for (int i = 1; i < argc; i += 2) {
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : nullptr;
        if (std::strcmp(arg, "--host") == 0 && val != nullptr)
            host = val;
        else if (std::strcmp(arg, "--port") == 0 && ParseUint(val, 1, 65535, &port))
            ;
        else if (std::strcmp(arg, "--sessions") == 0 && ParseUint(val, 1, 10000, &sessions))
            ;
        else if (std::strcmp(arg, "--messages") == 0 && ParseUint(val, 1, 1000000, &messages))
            ;
        else if (std::strcmp(arg, "--max-size") == 0 && ParseUint(val, kPrefix, 65536, &max_size))
            ;
        else if (std::strcmp(arg, "--threads") == 0 && ParseUint(val, 1, 256, &threads))
            ;
        else if (std::strcmp(arg, "--timeout-seconds") == 0 && ParseUint(val, 1, 86400, &timeout))
            ;
        else {
            Usage();
            return 2;
        }
    }
    g_cfg.sessions = static_cast<DWORD>(sessions);
    g_cfg.messages = static_cast<DWORD>(messages);
    g_cfg.max_size = static_cast<DWORD>(max_size);

    sockaddr_in addr;
    std::memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<unsigned short>(port));
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        std::fprintf(stderr, "chat_client: --host must be an IPv4 address\n");
        return 2;
    }

    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        std::fprintf(stderr, "chat_client: WSAStartup failed\n");
        return 1;
    }
    g_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
    g_joined_event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
    g_done_event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
    if (g_port == nullptr || g_joined_event == nullptr || g_done_event == nullptr) {
        std::fprintf(stderr, "chat_client: setup failed: %lu\n", static_cast<unsigned long>(GetLastError()));
        return 1;
    }
    std::vector<Session> all(sessions);
    std::vector<HANDLE> workers;
    for (unsigned long i = 0; i < threads; i++) {
        HANDLE h = CreateThread(nullptr, 0, Worker, nullptr, 0, nullptr);
        if (h == nullptr) {
            std::fprintf(stderr, "chat_client: CreateThread failed: %lu\n", static_cast<unsigned long>(GetLastError()));
            return 1;
        }
        workers.push_back(h);
    }

    ULONGLONG t0 = GetTickCount64();
    int one = 1;
    for (DWORD i = 0; i < g_cfg.sessions; i++) {
        Session &s = all[i];
        s.Init(i);
        SOCKET sock = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
        if (sock == INVALID_SOCKET ||
            connect(sock, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == SOCKET_ERROR) {
            std::fprintf(stderr, "chat_client: session %lu: cannot connect to %s:%lu: %d\n",
                         static_cast<unsigned long>(i), host, port, WSAGetLastError());
            return 1;
        }
        setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<char *>(&one), sizeof(one));
        s.Socket() = sock;
        if (CreateIoCompletionPort(reinterpret_cast<HANDLE>(sock), g_port, 0, 0) != g_port) {
            std::fprintf(stderr, "chat_client: CreateIoCompletionPort(socket) failed: %lu\n",
                         static_cast<unsigned long>(GetLastError()));
            return 1;
        }
        s.PostRecv();
    }

    // Everybody must be in the broadcast set before anybody talks.
    DWORD ms = static_cast<DWORD>(timeout * 1000);
    bool joined = WaitForSingleObject(g_joined_event, ms) == WAIT_OBJECT_0 &&
                  static_cast<DWORD>(InterlockedCompareExchange(&g_joined, 0, 0)) == g_cfg.sessions;
    ULONGLONG t_joined = GetTickCount64();
    bool done = false;
    if (joined) {
        for (Session &s : all)
            s.StartMessage();
        ULONGLONG spent = t_joined - t0;
        DWORD left = spent >= ms ? 0 : static_cast<DWORD>(ms - spent);
        done = WaitForSingleObject(g_done_event, left) == WAIT_OBJECT_0;
    }
    ULONGLONG t1 = GetTickCount64();

    // Closing aborts the outstanding operations; their packets come when
    // the system has finished with them, so wait for all of them before the
    // workers stop and the sessions (and their OVERLAPPEDs) go away.
    InterlockedExchange(&g_closing, 1);
    for (Session &s : all)
        if (s.Socket() != INVALID_SOCKET)
            closesocket(s.Socket());
    ULONGLONG drain_start = GetTickCount64();
    while (InterlockedCompareExchange(&g_outstanding, 0, 0) != 0 && GetTickCount64() - drain_start < 10000)
        Sleep(1);
    bool drained = InterlockedCompareExchange(&g_outstanding, 0, 0) == 0;
    for (size_t i = 0; i < workers.size(); i++)
        PostQueuedCompletionStatus(g_port, 0, 0, nullptr);
    bool stopped = drained;
    for (HANDLE h : workers) {
        if (WaitForSingleObject(h, 10000) == WAIT_OBJECT_0)
            CloseHandle(h);
        else
            stopped = false;
    }

    LONG64 expected = static_cast<LONG64>(sessions) * static_cast<LONG64>(sessions) * static_cast<LONG64>(messages);
    LONG64 received = Read(&g_received), sent = Read(&g_sent);
    LONG64 lost = Read(&g_lost), dups = Read(&g_dups), corrupt = Read(&g_corrupt), io = Read(&g_io_errors);
    double secs = static_cast<double>(t1 - t_joined) / 1000.0;
    if (secs < 0.001)
        secs = 0.001;
    bool pass = joined && done && received == expected &&
                sent == static_cast<LONG64>(sessions) * static_cast<LONG64>(messages) &&
                lost == 0 && dups == 0 && corrupt == 0 && io == 0;

    std::printf("%8s %8s %9s %12s %10s %6s %5s %8s %9s %9s %11s\n", "sessions", "messages", "sent",
                "received", "expected", "lost", "dups", "corrupt", "io_errors", "elapsed_s", "received/s");
    std::printf("%8lu %8lu %9lld %12lld %10lld %6lld %5lld %8lld %9lld %9.3f %11.0f\n", sessions, messages,
                static_cast<long long>(sent), static_cast<long long>(received), static_cast<long long>(expected),
                static_cast<long long>(lost), static_cast<long long>(dups), static_cast<long long>(corrupt),
                static_cast<long long>(io), secs, static_cast<double>(received) / secs);
    if (pass) {
        std::printf("RESULT: PASS (%lld broadcasts received and verified, %lld payload bytes)\n",
                    static_cast<long long>(received), static_cast<long long>(Read(&g_bytes)));
    } else {
        std::printf("RESULT: FAIL (%s%s%s)\n",
                    !joined ? "not every session joined in time; " : (!done ? "timed out; " : ""),
                    InterlockedCompareExchange(&g_first_error_set, 0, 0) ? "first error: " : "",
                    InterlockedCompareExchange(&g_first_error_set, 0, 0) ? g_first_error : "counts differ");
    }
    std::fflush(stdout);

    // Free only when every worker is gone: a stuck one may still touch them.
    if (!stopped)
        std::_Exit(pass ? 0 : 1);
    CloseHandle(g_done_event);
    CloseHandle(g_joined_event);
    CloseHandle(g_port);
    WSACleanup();
    return pass ? 0 : 1;
}
