import Foundation

/// What the kernel knows about the test's own child processes: which ones belong to a test
/// (by an environment variable only that test sets), which TCP ports their sockets use, and
/// whether one of them listens on a port.
///
/// Used to cut only one test's PostgreSQL connections: `pg_stat_activity.client_port` is the
/// client's local port, so the ports of a system's processes select its backends and no other
/// test's, even though every system's services share application names.
///
/// Files under `/proc` are read to their end with `read(2)`: they report a size of 0, and
/// `String(contentsOfFile:)` or `FileManager.contents(atPath:)` return only their first page
/// (about 4 KB of `/proc/net/tcp`, a few dozen sockets), which silently misses the rest.
public enum ProcessSockets {
    /// Processes whose environment holds `name=value` (readable for processes of this user).
    public static func processIDs(withEnvironment name: String, value: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let wanted = Array("\(name)=\(value)".utf8)
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let data = readProcFile("/proc/\(entry)/environ") else { return nil }
            return data.split(separator: 0).contains { Array($0) == wanted } ? pid : nil
        }
    }

    /// The local ports of the TCP sockets (IPv4 and IPv6) that `pids` hold open now; with
    /// `remotePort`, only of those connected to that port.
    public static func localTCPPorts(of pids: [Int32], remotePort: Int? = nil) -> Set<Int> {
        let inodes = socketInodes(of: pids)
        var ports = Set<Int>()
        for socket in tcpSockets() where inodes.contains(socket.inode) {
            if let remotePort, socket.remotePort != remotePort { continue }
            ports.insert(socket.localPort)
        }
        return ports
    }

    /// Whether process `pid` itself holds a socket listening on TCP `port`.
    public static func isListening(port: Int, processID pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        let inodes = socketInodes(of: [pid])
        return tcpSockets().contains { $0.localPort == port && $0.state == "0A" && inodes.contains($0.inode) }
    }

    struct TCPSocket {
        let localPort: Int
        let remotePort: Int
        let state: String
        let inode: String
    }

    /// Every TCP socket of the network namespace, from `/proc/net/tcp` and `/proc/net/tcp6`.
    static func tcpSockets() -> [TCPSocket] {
        var sockets: [TCPSocket] = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let data = readProcFile(table) else { continue }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst() {
                let columns = line.split(separator: " ")
                guard columns.count > 9, let local = port(columns[1]), let remote = port(columns[2]) else { continue }
                sockets.append(TCPSocket(localPort: local, remotePort: remote, state: String(columns[3]),
                                         inode: String(columns[9])))
            }
        }
        return sockets
    }

    /// The inodes of the sockets `pids` hold (`/proc/<pid>/fd/* -> socket:[inode]`).
    static func socketInodes(of pids: [Int32]) -> Set<String> {
        var inodes = Set<String>()
        for pid in pids {
            let directory = "/proc/\(pid)/fd"
            for fd in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(fd)"),
                      target.hasPrefix("socket:["), target.hasSuffix("]") else { continue }
                inodes.insert(String(target.dropFirst(8).dropLast()))
            }
        }
        return inodes
    }

    /// `0100007F:1F90` -> 8080.
    static func port(_ address: Substring) -> Int? {
        guard let colon = address.lastIndex(of: ":") else { return nil }
        return Int(address[address.index(after: colon)...], radix: 16)
    }

    /// A `/proc` file read to its end, or `nil` when it cannot be opened.
    static func readProcFile(_ path: String) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return (try? handle.readToEnd()) ?? Data()
    }
}
