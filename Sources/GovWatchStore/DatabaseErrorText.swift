import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOCore
import NIOPosix

/// Why a database could not be opened or reached, in the words of the operator who reads
/// `govwatch`'s one-line error: the cause first, in Chinese, then the driver's own text for
/// whoever digs further (a `PSQLError(code: connectionError, underlying: …)` alone says
/// little to someone installing the service).
public enum DatabaseErrorText {
    /// "无法打开数据库 LOCATION：cause（详情：driver text）".
    public static func openFailure(_ error: any Error, location: DatabaseLocation) -> String {
        "无法打开数据库 \(location)：\(cause(of: error))（详情：\(String(reflecting: error))）"
    }

    /// The cause alone, one short Chinese phrase.
    public static func cause(of error: any Error) -> String {
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                return serverCause(sqlState: error.serverInfo?[.sqlState] ?? "", message: error.serverInfo?[.message])
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                return error.underlying.map(cause(of:)) ?? "与数据库服务器的连接中断"
            case .sslUnsupported:
                return "数据库服务器不支持加密连接（地址中去掉 sslmode=require）"
            default:
                return error.underlying.map(cause(of:)) ?? "数据库返回错误"
            }
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "无法解析数据库服务器的主机名“\(error.host)”" }
            if let first = error.connectionErrors.first { return cause(of: first.error) }
            return "无法连接数据库服务器 \(error.host):\(error.port)"
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return "连接被拒绝：数据库服务器未启动，或地址、端口不对"
            case ETIMEDOUT: return "连接数据库服务器超时"
            case ENETUNREACH, EHOSTUNREACH: return "网络不通，无法到达数据库服务器"
            case ECONNRESET, EPIPE: return "与数据库服务器的连接中断"
            default: return "连接数据库服务器失败"
            }
        }
        if error is ChannelError { return "连接数据库服务器失败或超时" }
        if error is ConnectionPoolTimeoutError { return "等待数据库连接超时：数据库服务器无响应或连接已用完" }
        if let error = error as? SQLiteError {
            switch error.reason {
            case .cantOpen, .cantOpenDirectory, .cantOpenInvalidPath:
                return "SQLite 数据库文件无法打开（路径不存在或没有权限）"
            case .readOnly, .readonlyDirectory, .readonlyCantLock: return "SQLite 数据库文件只读，无法写入"
            case .notADatabase, .corrupt: return "文件不是 SQLite 数据库，或已损坏"
            case .busy, .locked: return "SQLite 数据库正被其他进程锁定"
            case .full: return "磁盘已满"
            default: return "SQLite 数据库出错"
            }
        }
        if let error = error as? CocoaError {
            switch error.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "数据库文件所在的文件夹无法创建（上级路径不存在）"
            case .fileWriteNoPermission, .fileReadNoPermission: return "没有权限创建或读写数据库文件"
            case .fileWriteOutOfSpace: return "磁盘已满"
            default: return "无法创建数据库文件"
            }
        }
        return "数据库出错"
    }

    /// PostgreSQL's refusals at connect time by SQLSTATE (Appendix A of its manual).
    private static func serverCause(sqlState: String, message: String?) -> String {
        switch sqlState {
        case "28P01": return "用户名或密码错误"
        case "28000": return "数据库服务器不允许该用户连接（检查 pg_hba.conf 和用户名）"
        case "3D000": return "数据库不存在（先用 createdb 创建）"
        case "53300": return "数据库服务器的连接数已满"
        case "57P03": return "数据库服务器正在启动或关闭"
        case "42501": return "数据库用户没有所需的权限"
        default:
            if sqlState.hasPrefix("08") { return "与数据库服务器的连接出错" }
            return "数据库服务器拒绝：\(message ?? sqlState)"
        }
    }
}
