// Compiles with MSVC, whose <unordered_map> brings std::vector, std::string
// and std::list; with libstdc++ it needs the MSVC_STD_INCLUDES option (the
// test porting_msvc_std_needed checks that it fails without it).
#include <unordered_map>

int main()
{
    std::unordered_map<int, std::vector<std::string>> sessions;
    sessions[1].push_back("alpha");
    sessions[1].push_back("beta");
    std::list<int> ids{3, 1, 2};
    ids.sort();
    std::function<size_t(const std::vector<std::string> &)> count = [](const auto &v) { return v.size(); };
    std::unique_ptr<int> owned(new int(7));
    int failures = count(sessions[1]) != 2 || ids.front() != 1 || *owned != 7 ||
                   std::max(2, 5) != 5 || std::strlen("abc") != 3;
    std::printf("msvc std includes: %d failures\n", failures);
    return failures;
}
