import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A signed-in client of `registry serve` for the benchmark: cookies kept by
/// hand, redirects not followed (a form answers 303), one request at a time.
final class WebClient: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    let base: String
    private var cookies: [String: String] = [:]
    private(set) var csrf = ""
    private var session: URLSession!

    init(base: String, user: String, password: String) throws {
        self.base = base
        super.init()
        session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)
        _ = try get("/login")
        let signed = try post("/login", ["token": cookies["registry_login"] ?? "", "user": user, "password": password, "next": "/"], csrf: false)
        guard signed.status == 303, cookies["registry_session"] != nil else { throw BenchError("sign-in failed: \(signed.status)") }
        _ = try get("/projects/new")
    }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    struct Answer {
        let status: Int
        let body: String
        let seconds: Double
    }

    func get(_ path: String) throws -> Answer { try send(URLRequest(url: URL(string: base + path)!)) }

    func post(_ path: String, _ fields: [String: String], csrf withToken: Bool = true) throws -> Answer {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var all = fields
        if withToken { all["csrf"] = csrf }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))
        request.httpBody = Data(
            all.map { "\($0.key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
                .joined(separator: "&").utf8)
        return try send(request)
    }

    /// The median time of `runs` requests for `path`, one after another.
    func median(_ path: String, runs: Int) throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let answer = try get(path)
            guard answer.status == 200 else { throw BenchError("\(path) answered \(answer.status)") }
            times.append(answer.seconds)
        }
        return times.sorted()[times.count / 2]
    }

    private func send(_ original: URLRequest) throws -> Answer {
        var request = original
        if !cookies.isEmpty { request.setValue(cookieHeader, forHTTPHeaderField: "Cookie") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Data?, URLResponse?, Error?) = (nil, nil, nil)
        let started = DispatchTime.now()
        session.dataTask(with: request) { data, response, error in
            result = (data, response, error)
            done.signal()
        }.resume()
        done.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        if let error = result.2 { throw BenchError("\(request.url!.path): \(error)") }
        guard let response = result.1 as? HTTPURLResponse else { throw BenchError("no HTTP response") }
        if let header = response.value(forHTTPHeaderField: "Set-Cookie") {
            // Several cookies may come folded into one header.
            for cookie in header.components(separatedBy: ", registry_") {
                let text = cookie.hasPrefix("registry_") ? cookie : "registry_" + cookie
                let pair = text.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
                let name = String(pair[0])
                let value = pair.count > 1 ? String(pair[1]) : ""
                if value.isEmpty || text.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
            }
        }
        let body = String(decoding: result.0 ?? Data(), as: UTF8.self)
        if let range = body.range(of: #"name="csrf" value=""#), let end = body[range.upperBound...].firstIndex(of: "\"") {
            csrf = String(body[range.upperBound..<end])
        }
        return Answer(status: response.statusCode, body: body, seconds: seconds)
    }
}

/// Ten projects a second through the form, for `seconds`.
final class WriteLoad: @unchecked Sendable {
    let client: WebClient
    let year: Int
    private let lock = NSLock()
    private(set) var codes: [String] = []
    private(set) var accepted = 0
    private(set) var refused = 0
    private(set) var rate = 0.0
    /// The first refusal, for the report.
    private(set) var firstRefusal: String?
    private var done = false
    var finished: Bool { lock.withLock { done } }

    init(client: WebClient, year: Int) {
        self.client = client
        self.year = year
    }

    func run(seconds: Double) {
        let start = Date()
        var index = 0
        while Date().timeIntervalSince(start) < seconds {
            let due = start.addingTimeInterval(Double(index) * 0.1)
            let wait = due.timeIntervalSinceNow
            if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
            let code = "WEB-\(year)-\(String(format: "%05d", index))"
            let fields = [
                "code": code, "name": "网页压测项目\(index)", "kind": "investment", "park": "PK-\(index % 40)", "enterprise": SyntheticData.uscc(index % 100),
                "sector": SyntheticData.sectors[index % SyntheticData.sectors.count],
                "planned_investment": "\(1 + index % 50)亿",
                "signed_on": String(format: "%d-%02d-%02d", year, 1 + index % 11, 1 + index % 28), "notes": "",
            ]
            let answer = try? client.post("/projects", fields)
            lock.withLock {
                if answer?.status == 303 {
                    accepted += 1
                    codes.append(code)
                } else {
                    refused += 1
                    if firstRefusal == nil {
                        let message = answer.flatMap { answer in
                            answer.body.range(of: "class=\"message\"").map { String(answer.body[$0.upperBound...].prefix(200)) }
                        }
                        firstRefusal = "\(answer?.status ?? 0) \(message ?? "")"
                    }
                }
            }
            index += 1
        }
        lock.withLock {
            rate = Double(accepted) / Date().timeIntervalSince(start)
            done = true
        }
    }
}

/// wrk, and the figures of its `--latency` report.
struct Wrk {
    var requests = 0
    var errors = 0
    var p50 = 0.0
    var p99 = 0.0
    var perSecond = 0.0

    static func run(_ arguments: [String], log: String) throws -> Wrk {
        let output = log + ".wrk"
        let result = try ChildProcess.run(["wrk"] + arguments, log: log, output: output)
        guard result.status == 0 else { throw BenchError("wrk failed (is it installed? apt-get install wrk); see \(log)") }
        let text = try String(contentsOfFile: output, encoding: .utf8)
        try? FileHandle(forWritingAtPath: log).map { handle in
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
        }
        var wrk = Wrk()
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("50%"), words.count > 1 { wrk.p50 = seconds(String(words[1])) }
            if line.hasPrefix("99%"), words.count > 1 { wrk.p99 = seconds(String(words[1])) }
            if line.contains("requests in"), let first = words.first { wrk.requests = Int(first) ?? 0 }
            if line.hasPrefix("Requests/sec:"), words.count > 1 { wrk.perSecond = Double(words[1]) ?? 0 }
            if line.hasPrefix("Non-2xx or 3xx responses:"), let last = words.last { wrk.errors += Int(last) ?? 0 }
            if line.hasPrefix("Socket errors:") {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                wrk.errors += line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.reduce(0, +)
            }
        }
        return wrk
    }

    /// `1.23ms`, `45.6us`, `1.2s` in seconds.
    static func seconds(_ text: String) -> Double {
        for (suffix, scale) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0)] where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? 0) * scale
        }
        return Double(text) ?? 0
    }

    func line(_ what: String) -> String {
        String(
            format: "  %-36@ %8d requests, %8.0f/s, p50 %6.2f ms, p99 %6.2f ms, errors %d", what as NSString, requests, perSecond, p50 * 1000,
            p99 * 1000, errors)
    }
}
