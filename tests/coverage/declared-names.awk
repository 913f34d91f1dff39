# Lists the names a preprocessed translation unit declares, one
# "HEADER KIND NAME" a line, from `cc -E -dD` output (line markers kept).
#   KIND: macro, type (typedef or tag), function, variable, constant (enumerator)
#   HEADER: the file the name is declared in, relative to the include folder
#           `root`; a file of psdk_inc/ (winsock2.h's internal pieces) counts
#           as the header that included it, since that is what a server names.
# Files outside `root` are left out. Names starting with "__" are left out
# (they are the implementation's, not the SDK's) but for MSVC's keywords,
# which the SDK's compilers know and servers write (__int64, __stdcall...).
#
# usage: awk -v root=/usr/share/mingw-w64/include/ -f declared-names.awk FILE.i

function header_of(path) {
    if (index(path, root) != 1) return ""
    return substr(path, length(root) + 1)
}

# The file a name is charged to: the nearest file on the include stack that
# is not an internal piece.
function owner(   i) {
    for (i = depth; i >= 1; i--)
        if (stack[i] != "" && stack[i] !~ /^psdk_inc\//) return stack[i]
    return ""
}

function implementation_name(name) {
    return name ~ /^__/ && name !~ /^__(int(8|16|32|64)|stdcall|cdecl|fastcall|forceinline|declspec|unaligned|w64|ptr32|ptr64|try|except|finally|leave)$/
}

function emit(kind, name) {
    if (name == "" || implementation_name(name) || start_file == "") return
    if (name ~ /^(struct|union|enum|const|volatile|signed|unsigned|int|char|long|short|void|float|double|_Bool)$/) return
    print start_file, kind, name
}

# Removes every "word(...)" group (attributes, asm labels) from s.
function drop_call(s, word,   out, i, n, c, d) {
    out = ""
    while ((i = index(s, word)) > 0) {
        out = out substr(s, 1, i - 1)
        s = substr(s, i + length(word))
        if (s !~ /^[ \t]*\(/) { out = out word; continue }
        n = length(s); d = 0
        for (i = 1; i <= n; i++) {
            c = substr(s, i, 1)
            if (c == "(") d++
            else if (c == ")") { d--; if (d == 0) break }
        }
        s = substr(s, i + 1)
    }
    return out s
}

function last_ident(s) {
    if (match(s, /[A-Za-z_][A-Za-z_0-9]*[ \t]*$/) == 0) return ""
    s = substr(s, RSTART, RLENGTH); gsub(/[ \t]/, "", s)
    return s
}

# The name a declarator declares: "*NAME", "NAME[4]", "(*NAME)(args)", "NAME(args)".
function declarator_name(d,   i, n, c, depth2) {
    gsub(/\[[^]]*\]/, "", d)
    if (match(d, /\([ \t*]*\*[ \t*]*(const[ \t]+|volatile[ \t]+)*[A-Za-z_][A-Za-z_0-9]*/)) {
        d = substr(d, RSTART, RLENGTH); sub(/.*[^A-Za-z_0-9]/, "", d)
        return d
    }
    sub(/[ \t]+$/, "", d)
    # strip a trailing parameter list
    if (d ~ /\)$/) {
        n = length(d); depth2 = 0
        for (i = n; i >= 1; i--) {
            c = substr(d, i, 1)
            if (c == ")") depth2++
            else if (c == "(") { depth2--; if (depth2 == 0) break }
        }
        d = substr(d, 1, i - 1)
    }
    return last_ident(d)
}

# Splits s at commas outside parentheses into parts[1..n].
function split_top(s, parts,   n, i, c, d, cur) {
    n = 0; d = 0; cur = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "(") d++
        if (c == ")") d--
        if (c == "," && d == 0) { parts[++n] = cur; cur = ""; continue }
        cur = cur c
    }
    parts[++n] = cur
    return n
}

function enumerators(s,   body, n, i, parts, t) {
    while (match(s, /enum[ \t]+([A-Za-z_][A-Za-z_0-9]*[ \t]*)?\{[^{}]*\}/)) {
        body = substr(s, RSTART, RLENGTH)
        s = substr(s, RSTART + RLENGTH)
        sub(/^[^{]*\{/, "", body); sub(/\}$/, "", body)
        n = split_top(body, parts)
        for (i = 1; i <= n; i++) {
            t = parts[i]; sub(/=.*/, "", t)
            t = last_ident(t)
            if (t != "") emit("constant", t)
        }
    }
}

function flush(s,   t, n, i, parts, rest) {
    gsub(/^[ \t]+|[ \t]+$/, "", s)
    if (s == "") return
    s = drop_call(s, "__attribute__")
    s = drop_call(s, "__declspec")
    s = drop_call(s, "__asm__")
    s = drop_call(s, "__asm")
    gsub(/__extension__|__restrict__|__restrict|__inline__|__inline|__forceinline/, " ", s)
    gsub(/^[ \t]+/, "", s)
    if (s ~ /^(_Static_assert|static_assert)/) return
    enumerators(s)
    rest = s
    while (match(rest, /(struct|union|enum)[ \t]+[A-Za-z_][A-Za-z_0-9]*[ \t]*\{/)) {
        t = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
        sub(/[ \t]*\{$/, "", t); sub(/.*[ \t]/, "", t)
        emit("type", t)
    }
    while (gsub(/\{[^{}]*\}/, " ", s)) {}
    if (s ~ /^typedef[ \t]/) {
        sub(/^typedef[ \t]+/, "", s)
        n = split_top(s, parts)
        for (i = 1; i <= n; i++) emit("type", declarator_name(parts[i]))
        return
    }
    # a bare "struct tag;" or "struct tag { ... };"
    if (s ~ /^(struct|union|enum)[ \t]+[A-Za-z_][A-Za-z_0-9]*[ \t]*$/) {
        t = s; sub(/^(struct|union|enum)[ \t]+/, "", t); emit("type", last_ident(t))
        return
    }
    if (s ~ /^(struct|union|enum)[ \t]*$/) return
    if (index(s, "(") > 0) {
        if (match(s, /\([ \t*]*\*[ \t]*[A-Za-z_][A-Za-z_0-9]*[ \t]*\)/)) {
            t = substr(s, RSTART, RLENGTH); gsub(/[() \t*]/, "", t)
            emit("variable", t); return
        }
        t = substr(s, 1, index(s, "(") - 1)
        emit("function", last_ident(t))
        return
    }
    sub(/=.*/, "", s)
    n = split_top(s, parts)
    for (i = 1; i <= n; i++) emit("variable", declarator_name(parts[i]))
}

BEGIN { depth = 0; stmt = ""; bdepth = 0; start_file = "" }

/^# [0-9]+ "/ {
    f = $3; gsub(/"/, "", f); h = header_of(f)
    flag = $4
    if (flag == "1") { stack[++depth] = h }
    else if (flag == "2") { if (depth > 0) depth--; stack[depth] = h }
    else { if (depth == 0) depth = 1; stack[depth] = h }
    next
}
/^#[ \t]*define[ \t]/ {
    name = $2; sub(/\(.*/, "", name)
    body = $0; sub(/^#[ \t]*define[ \t]+[^ \t(]*(\([^)]*\))?[ \t]*/, "", body)
    cur = owner()
    # include guards and feature markers: an empty macro named with a leading "_"
    if (cur != "" && !implementation_name(name) && !(body == "" && name ~ /^_/)) macro_at[name] = cur
    next
}
/^#[ \t]*undef[ \t]/ { delete macro_at[$2]; next }
/^#/ { next }
{
    line = $0
    gsub(/"([^"\\]|\\.)*"/, "\"\"", line)
    gsub(/'([^'\\]|\\.)*'/, "''", line)
    while (line != "") {
        if (match(line, /[{};]/) == 0) { piece = line; line = ""; c = "" }
        else { piece = substr(line, 1, RSTART - 1); c = substr(line, RSTART, 1); line = substr(line, RSTART + 1) }
        if (stmt ~ /^[ \t]*$/ && piece !~ /^[ \t]*$/) start_file = owner()
        stmt = stmt " " piece
        if (c == "") break
        if (stmt ~ /^[ \t]*$/ && c != ";") start_file = owner()
        if (c == "{") { if (bdepth == 0) head = stmt; bdepth++; stmt = stmt c; continue }
        if (c == "}") {
            bdepth--; stmt = stmt c
            # a function body ends the statement; an aggregate or initializer does not
            if (bdepth == 0 && head !~ /=/ && head !~ /^[ \t]*(__extension__[ \t]*)?(typedef|struct|union|enum)[ \t{]/) {
                flush(stmt); stmt = ""
            }
            continue
        }
        if (bdepth == 0) { flush(stmt); stmt = "" } else stmt = stmt c
    }
}
END {
    flush(stmt)
    for (name in macro_at) print macro_at[name], "macro", name
}
