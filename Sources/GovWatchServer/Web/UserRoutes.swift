import Foundation
import GovWatchStore
import Hummingbird

/// 用户 (admin only): users and roles, disable / enable, password reset (the new password
/// shown once), the unit a user is bound to, API tokens (shown once, revocable). Every change
/// goes through ``UserAdministration`` or the store, which audit it.
struct UserRoutes: Sendable {
    let store: Store
    let pages: PageRenderer
    let configuration: ServerConfiguration

    static let access = RouteAccess.roles([])

    var administration: UserAdministration {
        UserAdministration(store: store, bcryptCost: configuration.bcryptCost, clock: configuration.clock)
    }

    func register(on routes: Routes) {
        routes.get("/users", access: Self.access) { _, context in try await list(context, outcome: [:]) }
        routes.post("/users", access: Self.access) { _, context in try await add(context) }
        routes.get("/users/{username}", access: Self.access) { _, context in try await show(context, outcome: [:]) }
        routes.post("/users/{username}/role", access: Self.access) { _, context in try await changeRole(context) }
        routes.post("/users/{username}/disable", access: Self.access) { _, context in try await setDisabled(context, true) }
        routes.post("/users/{username}/enable", access: Self.access) { _, context in try await setDisabled(context, false) }
        routes.post("/users/{username}/password", access: Self.access) { _, context in try await resetPassword(context) }
        routes.post("/users/{username}/tokens", access: Self.access) { _, context in try await createToken(context) }
        routes.post("/users/{username}/tokens/{id}/revoke", access: Self.access) { _, context in try await revokeToken(context) }
    }

    // MARK: - Pages

    func list(_ context: AppRequestContext, outcome: [String: Any], status: HTTPResponse.Status = .ok) async throws -> Response {
        let identity = try context.requireIdentity()
        let users = try await store.users()
        var values: [String: Any] = [
            "users": users.map(Self.userValues), "roleOptions": Self.roleOptions(selected: .unit),
            "unitOptions": try await unitOptions(selected: nil),
        ]
        for (key, value) in outcome { values[key] = value }
        return try pages.page(
            "users", frame: PageFrame(title: "用户", identity: identity, path: "/users"), values: values, status: status)
    }

    func show(_ context: AppRequestContext, outcome: [String: Any]) async throws -> Response {
        let identity = try context.requireIdentity()
        let user = try await knownUser(context)
        let tokens = try await store.apiTokens(userID: user.id)
        // Under `subject`: the layout reads `unitName`, `displayName` of the signed-in user,
        // and a Mustache lookup would fall back to the page's own keys of the same name.
        var values: [String: Any] = ["subject": Self.userValues(user)]
        values["roleOptions"] = Self.roleOptions(selected: user.role)
        values["unitOptions"] = try await unitOptions(selected: user.unitName)
        values["isSelf"] = user.id == identity.user.id
        values["tokens"] = tokens.map { token in
            var entry: [String: Any] = [
                "id": token.id, "label": token.label, "createdAt": PageFormatting.minute(token.createdAt), "revoked": token.revoked,
                "expiresAt": token.expiresAt.map(PageFormatting.day) ?? "长期有效",
                "lastUsedAt": token.lastUsedAt.map(PageFormatting.minute) ?? "从未使用",
            ]
            entry["expired"] = token.expiresAt.map { $0 <= configuration.clock() } ?? false
            return entry
        }
        values["hasTokens"] = !tokens.isEmpty
        for (key, value) in outcome { values[key] = value }
        return try pages.page(
            "user", frame: PageFrame(title: "用户 \(user.username)", identity: identity, path: "/users"), values: values)
    }

    // MARK: - Changes

    func add(_ context: AppRequestContext) async throws -> Response {
        let fields = context.formFields ?? [:]
        guard let role = fields["role"].flatMap(UserRole.init(rawValue:)) else { throw WebError.badRequest("请选择角色") }
        let password = fields["password"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            let (user, generated) = try await administration.addUser(
                username: fields["username"] ?? "", role: role, unitName: Self.blankToNil(fields["unit"]),
                displayName: Self.blankToNil(fields["displayName"]), password: password, audit: context.auditContext)
            var created: [String: Any] = ["username": user.username]
            if let generated { created["password"] = generated }
            return try await list(context, outcome: ["created": created])
        } catch let error as UserStoreError {
            return try await list(context, outcome: ["error": error.description], status: .badRequest)
        }
    }

    func changeRole(_ context: AppRequestContext) async throws -> Response {
        let user = try await knownUser(context)
        let fields = context.formFields ?? [:]
        guard let role = fields["role"].flatMap(UserRole.init(rawValue:)) else { throw WebError.badRequest("请选择角色") }
        if user.id == context.identity?.user.id, role != .admin {
            throw WebError.badRequest("不能取消自己的管理员角色，请由另一位管理员操作")
        }
        do {
            _ = try await store.setUserRole(
                user.username, role: role, unitName: Self.blankToNil(fields["unit"]), now: configuration.clock(),
                audit: context.auditContext)
        } catch let error as UserStoreError {
            throw WebError.badRequest(error.description)
        }
        return try await show(context, outcome: ["message": "已修改角色和所属单位；该用户需重新登录。"])
    }

    func setDisabled(_ context: AppRequestContext, _ disabled: Bool) async throws -> Response {
        let user = try await knownUser(context)
        if disabled, user.id == context.identity?.user.id { throw WebError.badRequest("不能停用自己的账号") }
        try await store.setUserDisabled(user.username, disabled: disabled, now: configuration.clock(), audit: context.auditContext)
        return try await show(context, outcome: ["message": disabled ? "已停用该用户，其登录会话已结束。" : "已启用该用户。"])
    }

    func resetPassword(_ context: AppRequestContext) async throws -> Response {
        let user = try await knownUser(context)
        let password = try await administration.resetPassword(username: user.username, password: nil, audit: context.auditContext)
        return try await show(context, outcome: ["newPassword": password ?? ""])
    }

    func createToken(_ context: AppRequestContext) async throws -> Response {
        let user = try await knownUser(context)
        let fields = context.formFields ?? [:]
        let label = (fields["label"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !label.isEmpty, label.count <= 100 else { throw WebError.badRequest("请填写令牌用途（最长 100 个字符）") }
        var days: Int?
        if let text = Self.blankToNil(fields["expires"]) {
            guard let value = Int(text), value > 0, value <= 3650 else { throw WebError.badRequest("有效天数应为 1–3650 的整数") }
            days = value
        }
        do {
            let (token, _) = try await administration.createToken(
                username: user.username, label: label, expiresInDays: days, audit: context.auditContext)
            return try await show(context, outcome: ["newToken": token])
        } catch let error as UserStoreError {
            throw WebError.badRequest(error.description)
        }
    }

    func revokeToken(_ context: AppRequestContext) async throws -> Response {
        let user = try await knownUser(context)
        guard let id = context.parameters.get("id", as: Int.self),
            try await store.apiTokens(userID: user.id).contains(where: { $0.id == id })
        else { throw WebError.notFound }
        try await store.revokeAPIToken(id: id, now: configuration.clock(), audit: context.auditContext)
        return try await show(context, outcome: ["message": "已吊销令牌，使用它的脚本将无法再访问。"])
    }

    // MARK: - Values

    func knownUser(_ context: AppRequestContext) async throws -> UserAccount {
        guard let name = context.parameters.get("username"), let user = try await store.user(named: name) else {
            throw WebError.notFound
        }
        return user
    }

    func unitOptions(selected: String?) async throws -> [[String: Any]] {
        let units = try await store.units()
        return [["value": "", "label": "（不绑定单位）", "selected": selected == nil]]
            + units.map { ["value": $0.name, "label": $0.name, "selected": $0.name == selected] }
    }

    static func roleOptions(selected: UserRole) -> [[String: Any]] {
        UserRole.allCases.map { ["value": $0.rawValue, "label": $0.chineseName, "selected": $0 == selected] }
    }

    static func userValues(_ user: UserAccount) -> [String: Any] {
        var values: [String: Any] = [
            "username": user.username, "displayName": user.displayName, "role": user.role.rawValue,
            "roleName": user.role.chineseName, "showUsername": user.displayName != user.username, "disabled": user.disabled, "createdAt": PageFormatting.day(user.createdAt),
            "path": "/users/" + (user.username.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? ""),
        ]
        if let unit = user.unitName, !unit.isEmpty { values["unitName"] = unit }
        return values
    }

    static func blankToNil(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }
}
