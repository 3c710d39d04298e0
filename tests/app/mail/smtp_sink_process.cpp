#include "mail/smtp_sink_process.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace warden::test {
namespace {

constexpr char const* python = "/usr/bin/python3";

std::string read_file(std::filesystem::path const& path) {
    std::ifstream in{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

}  // namespace

std::string smtp_sink_missing() {
    std::string const command = std::string{python} + " -c 'import aiosmtpd' 2>/dev/null";
    if (std::system(command.c_str()) == 0) return {};
    return "python3-aiosmtpd is not installed (apt-get install python3-aiosmtpd)";
}

smtp_sink_process::smtp_sink_process() : smtp_sink_process(options{}) {}

smtp_sink_process::smtp_sink_process(options opts) : opts_(std::move(opts)) { start(); }

smtp_sink_process::~smtp_sink_process() { stop(); }

std::string smtp_sink_process::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

void smtp_sink_process::start() {
    std::vector<std::string> args{python, WARDEN_SMTP_SINK, dir_.path().string(), "--port",
                                  std::to_string(port_)};
    if (!opts_.auth.empty()) {
        args.emplace_back("--auth");
        args.push_back(opts_.auth);
    }
    for (auto const& domain : opts_.reject_domains) {
        args.emplace_back("--reject-domain");
        args.push_back(domain);
    }
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe() failed");
    pid_t const parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork() failed");
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);
        ::dup2(out[1], STDOUT_FILENO);
        ::close(out[0]);
        ::close(out[1]);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(python, argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    // The script prints its port once it listens.
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    if (line.empty()) {
        stop();
        throw std::runtime_error("smtp_sink.py did not start");
    }
    port_ = static_cast<std::uint16_t>(std::stoul(line));
}

void smtp_sink_process::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::vector<received_mail> smtp_sink_process::mails() const {
    std::vector<std::filesystem::path> metas;
    for (auto const& entry : std::filesystem::directory_iterator{dir_.path()}) {
        if (entry.path().extension() == ".json") metas.push_back(entry.path());
    }
    std::sort(metas.begin(), metas.end());
    std::vector<received_mail> out;
    for (auto const& meta : metas) {
        auto const envelope = boost::json::parse(read_file(meta)).as_object();
        received_mail mail;
        auto eml = meta;
        mail.raw = read_file(eml.replace_extension(".eml"));
        mail.envelope_from = std::string{envelope.at("mail_from").as_string()};
        for (auto const& rcpt : envelope.at("rcpt_tos").as_array())
            mail.rcpt_tos.emplace_back(rcpt.as_string());
        out.push_back(std::move(mail));
    }
    return out;
}

std::vector<received_mail> smtp_sink_process::wait_for(std::size_t count) const {
    auto const until = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    for (;;) {
        auto found = mails();
        if (found.size() >= count || std::chrono::steady_clock::now() > until) return found;
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
}

}  // namespace warden::test
