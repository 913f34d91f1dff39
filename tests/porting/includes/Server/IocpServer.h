/* Reached as "iocpserver.h": its own includes must still resolve from here. */
#ifndef IOCP_SERVER_H
#define IOCP_SERVER_H
#include "..\Shared\Constants.h"
#include "Net\session.h"
#define SERVER_NAME "fixture"
#endif
