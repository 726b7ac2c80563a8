/// Health conditions of an identifiable person, one sentence at a time.
///
/// A condition word alone is common in public health notices (新增确诊病例0例, 残疾人就业);
/// it becomes personal information only together with someone who can be identified,
/// in the same sentence.
enum HealthDisclosureDetector {
    /// Words that state a person's health condition.
    static let conditionTerms = [
        "确诊", "患有", "患上", "罹患", "病史", "残疾", "精神病", "精神疾病", "精神障碍", "精神分裂",
        "抑郁症", "艾滋病", "hiv", "乙肝", "肝炎", "梅毒", "癌症", "肺癌", "肝癌", "胃癌", "乳腺癌",
        "白血病", "尿毒症", "肿瘤", "核酸检测阳性", "检测结果阳性", "结核病", "肺结核", "传染病",
        "住院治疗", "诊断为", "瘫痪", "偏瘫", "智力障碍", "脑瘫", "重病", "病危",
    ]

    /// Common single-character surnames (the 百家姓 entries that cover most of the population).
    static let surnames: Set<UInt32> = Set(
        ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
            + "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武"
            + "戴莫孔汤赖文庞樊兰殷施陈洪颜倪温芦鲁葛伍韩柳邢乔岳齐庄聂祝").unicodeScalars.map(\.value))
    static let compoundSurnames: [[UInt32]] = ["欧阳", "司马", "诸葛", "上官", "皇甫", "司徒", "慕容", "令狐", "公孙", "尉迟"]
        .map { $0.unicodeScalars.map(\.value) }

    /// Words after which a name denotes a member of the public (not an official).
    static let personRoles: [[UInt32]] = [
        "患者", "病人", "病患", "村民", "居民", "市民", "群众", "申请人", "户主", "职工", "学生", "家属", "儿子", "女儿",
        "之子", "之女", "其子", "其女", "妻子", "丈夫", "母亲", "父亲", "老人", "贫困户", "低保户", "五保户", "困难户",
        "来信人", "来电人", "反映人", "当事人", "留言人", "网民", "农户", "员工", "孩子", "本人", "救助对象",
    ].map { $0.unicodeScalars.map(\.value) }

    /// Characters that end a given name: verbs and particles that follow a name in a sentence.
    /// Symptom characters are included so that 患者高热 is not read as 患者 + a name 高热.
    /// Place suffixes are included so that 黄冈市 is not read as a name.
    static let nameStoppers: Set<UInt32> = Set("患确因于的在是为被有等与和及同经已曾今现系某，、先女老家户之其诊热咳病症痛烧伤疾市县区省镇乡村州".unicodeScalars.map(\.value))
    /// Words after a name that confirm it is a person's name.
    static let nameSuffixes: [[UInt32]] = ["同志", "先生", "女士", "老人", "大爷", "阿姨"].map { $0.unicodeScalars.map(\.value) }

    /// Words right after a condition that make it name a group or an office (确诊病例, 残疾人联合会).
    private static let aggregateWords = ScalarClass.scalarWords(["病例", "人数", "率", "人联", "人就业", "人证", "人员", "儿童", "家庭", "群体", "人群"])

    /// `conditionTerms` as automaton patterns (`DictionaryMatcher` compiles them with the dictionary).
    static let conditionPatterns = conditionTerms.map(DictionaryCompiler.normalizedPattern)
    // A fixed list of 63 distinct characters: far below the automaton's limit, so it cannot throw.
    static let conditionAutomaton = try! AhoCorasickAutomaton(patterns: conditionPatterns)

    private static let mou: UInt32 = 0x67D0  // 某
    private static let male: UInt32 = 0x7537  // 男
    private static let female: UInt32 = 0x5973  // 女
    private static let sui: UInt32 = 0x5C81  // 岁

    /// A person found in a sentence.
    struct PersonCue {
        enum Strength { case pseudonym, number, nameWithRole, nameWithAttributes, nameAsSubject }
        var range: Range<Int>
        var strength: Strength
        /// The masked form for evidence.
        var masked: String
        /// The de-identified form.
        var replacement: String
    }

    /// Health disclosures in `scanned`. `conditions` are the ranges of the condition words in
    /// order of their end, when the caller has found them already (`DictionaryMatcher`);
    /// otherwise they are looked for here.
    static func hits(
        in scanned: ScannedText, numberHits: [PersonalInfoScanner.RawHit], conditions conditionRanges: [Range<Int>]? = nil
    ) -> [PersonalInfoScanner.RawHit] {
        let conditions = conditionRanges ?? conditionAutomaton.matches(in: scanned.scalars, skipIgnorable: false).map(\.range)
        guard !conditions.isEmpty else { return [] }
        var hits: [PersonalInfoScanner.RawHit] = []
        var lastSentenceEnd = -1
        for conditionRange in conditions where conditionRange.lowerBound >= lastSentenceEnd {
            let sentence = sentenceBounds(around: conditionRange, in: scanned)
            if isAggregateMention(conditionRange, in: scanned) { continue }
            let cues = personCues(in: sentence, scanned: scanned, numberHits: numberHits)
            let statistical = containsCount(in: sentence, scanned: scanned)
            let eligible = cues.filter { cue in
                !cue.range.overlaps(conditionRange)
                    && (!statistical || cue.strength == .pseudonym || cue.strength == .number)
            }
            var candidates = eligible
            if let subject = subjectName(before: conditionRange, sentence: sentence, in: scanned),
                !candidates.contains(where: { $0.range.overlaps(subject.range) })
            {
                candidates.append(subject)
            }
            guard let cue = candidates.min(by: { distance($0.range, conditionRange) < distance($1.range, conditionRange) })
            else { continue }
            let range = min(cue.range.lowerBound, conditionRange.lowerBound)..<max(cue.range.upperBound, conditionRange.upperBound)
            let conditionText = scanned.string(conditionRange)
            let masked =
                cue.range.lowerBound < conditionRange.lowerBound
                ? cue.masked + (cue.range.upperBound == conditionRange.lowerBound ? "" : "…") + conditionText
                : conditionText + "…" + cue.masked
            let replacement = deidentified(range, cues: cues.filter { range.contains($0.range.lowerBound) }, numberHits: numberHits, in: scanned)
            hits.append(PersonalInfoScanner.RawHit(kind: .health, range: range, masked: masked, replacement: replacement))
            lastSentenceEnd = sentence.upperBound
        }
        return hits
    }

    private static func distance(_ a: Range<Int>, _ b: Range<Int>) -> Int {
        a.upperBound <= b.lowerBound ? b.lowerBound - a.upperBound : a.lowerBound - b.upperBound
    }

    /// The sentence around `range`: up to 。！？；!?; or a line break, at most 150 characters each way.
    static func sentenceBounds(around range: Range<Int>, in scanned: ScannedText) -> Range<Int> {
        var start = range.lowerBound
        while start > 0, range.lowerBound - start < 150, !ScalarClass.isSentenceEnd(scanned.scalars[start - 1]) { start -= 1 }
        var end = range.upperBound
        while end < scanned.count, end - range.upperBound < 150, !ScalarClass.isSentenceEnd(scanned.scalars[end]) { end += 1 }
        return start..<end
    }

    /// 确诊病例, 确诊人数, 残疾人联合会: the condition word names a group or an office.
    private static func isAggregateMention(_ range: Range<Int>, in scanned: ScannedText) -> Bool {
        let following = range.upperBound..<min(range.upperBound + 3, scanned.count)
        return aggregateWords.contains { scanned.hasWord($0, at: following.lowerBound, limit: following.upperBound) }
    }

    /// Digits followed by 例/人/名/户/位: the sentence counts cases rather than describing one person.
    private static func containsCount(in sentence: Range<Int>, scanned: ScannedText) -> Bool {
        var index = sentence.lowerBound
        while index < sentence.upperBound {
            if let value = scanned.folded(at: index), ScalarClass.isDigit(value) {
                var end = index
                while end < sentence.upperBound, let digit = scanned.folded(at: end), ScalarClass.isDigit(digit) { end += 1 }
                if end < sentence.upperBound, [0x4F8B, 0x4EBA, 0x540D, 0x6237, 0x4F4D].contains(scanned.scalars[end]) { return true }  // 例 人 名 户 位
                index = end
            } else {
                index += 1
            }
        }
        return false
    }

    /// Every identifiable person mentioned in `sentence`.
    static func personCues(in sentence: Range<Int>, scanned: ScannedText, numberHits: [PersonalInfoScanner.RawHit]) -> [PersonCue] {
        var cues: [PersonCue] = numberHits.filter { sentence.contains($0.range.lowerBound) }.map {
            PersonCue(range: $0.range, strength: .number, masked: $0.masked, replacement: $0.replacement)
        }
        let scalars = scanned.scalars
        var index = sentence.lowerBound
        while index < sentence.upperBound {
            guard let surnameLength = surnameLength(at: index, in: scanned, limit: sentence.upperBound) else {
                index += 1
                continue
            }
            let afterSurname = index + surnameLength
            // 张某, 张某某, 张某华: a name already reduced to surname + 某, still a specific person.
            if afterSurname < sentence.upperBound, scalars[afterSurname] == mou {
                var end = afterSurname + 1
                if end < sentence.upperBound, scalars[end] == mou { end += 1 }
                cues.append(nameCue(index..<end, surnameLength: surnameLength, strength: .pseudonym, in: scanned))
                index = end
                continue
            }
            // A full name: surname + one or two characters of given name.
            var end = afterSurname
            while end < sentence.upperBound, end - afterSurname < 2, ScalarClass.isHan(scalars[end]), !nameStoppers.contains(scalars[end]) {
                end += 1
            }
            let nameRange = index..<end
            if let strength = nameStrength(nameRange, surnameLength: surnameLength, sentence: sentence, in: scanned) {
                cues.append(nameCue(nameRange, surnameLength: surnameLength, strength: strength, in: scanned))
                index = end
                continue
            }
            // 王先生, 李女士: surname + form of address.
            if let suffixLength = hasSuffix(at: afterSurname, in: scanned, limit: sentence.upperBound) {
                let suffixEnd = afterSurname + suffixLength
                cues.append(PersonCue(
                    range: index..<suffixEnd, strength: .nameWithAttributes,
                    // 李女士 names no one by itself: shown as written, as inspection notices do.
                    masked: scanned.string(index..<suffixEnd),
                    replacement: "某" + scanned.string(afterSurname..<suffixEnd)))
                index = suffixEnd
                continue
            }
            index += 1
        }
        return cues
    }

    private static func nameCue(_ range: Range<Int>, surnameLength: Int, strength: PersonCue.Strength, in scanned: ScannedText) -> PersonCue {
        let name = scanned.string(range)
        // 张某某 is already how notices de-identify a person: keep it as written.
        let masked = strength == .pseudonym ? name : PersonalInfoMasking.maskedName(name, surnameLength: surnameLength)
        return PersonCue(range: range, strength: strength, masked: masked, replacement: masked)
    }

    private static func surnameLength(at index: Int, in scanned: ScannedText, limit: Int) -> Int? {
        let scalars = scanned.scalars
        if index + 1 < limit, compoundSurnames.contains(where: { $0[0] == scalars[index] && $0[1] == scalars[index + 1] }) {
            return 2
        }
        return surnames.contains(scalars[index]) ? 1 : nil
    }

    /// A three-character name (surname + two) right before the condition, at the start of a
    /// clause or of a table cell: 申请事由：王秀英确诊为…; 李红梅<TAB>患有尿毒症. Two-character
    /// candidates are left out here: too many place names and words start with a surname.
    static func subjectName(before condition: Range<Int>, sentence: Range<Int>, in scanned: ScannedText) -> PersonCue? {
        var end = condition.lowerBound
        // Between name and condition: a table cell boundary (spaces or tabs, however many
        // the extraction left) or one colon or comma.
        func skipSpaces() {
            while end > sentence.lowerBound, condition.lowerBound - end < 12, let value = scanned.folded(at: end - 1),
                value == 0x20 || value == 0x09 || value == 0xA0
            {
                end -= 1
            }
        }
        skipSpaces()
        if end > sentence.lowerBound, let value = scanned.folded(at: end - 1), value == 0x3A || value == 0x2C {
            end -= 1
            skipSpaces()
        }
        // 因 (because of) may stand between: 王秀英因尿毒症…
        if end > sentence.lowerBound, scanned.scalars[end - 1] == 0x56E0 { end -= 1 }
        for surnameLength in [2, 1] {
            let start = end - surnameLength - 2
            guard start >= sentence.lowerBound,
                surnameLength == 2
                    ? compoundSurnames.contains([scanned.scalars[start], scanned.scalars[start + 1]])
                    : surnames.contains(scanned.scalars[start])
            else { continue }
            let given = scanned.scalars[(start + surnameLength)..<end]
            guard given.allSatisfy({ ScalarClass.isHan($0) && !nameStoppers.contains($0) }) else { continue }
            // The name must begin its clause or cell: nothing Chinese right before it, or a role word.
            let before = start > 0 ? scanned.scalars[start - 1] : 0x20
            guard !ScalarClass.isHan(before) || hasRoleBefore(start, in: scanned, sentence: sentence) else { continue }
            return nameCue(start..<end, surnameLength: surnameLength, strength: .nameAsSubject, in: scanned)
        }
        return nil
    }

    /// Whether a candidate name is confirmed as a person: a role word before it
    /// (村民张建国), or sex, age or a form of address after it (王建国，男，; 王建国（45岁）; 王建国同志).
    private static func nameStrength(_ name: Range<Int>, surnameLength: Int, sentence: Range<Int>, in scanned: ScannedText) -> PersonCue.Strength? {
        guard name.count > surnameLength else { return nil }
        if hasRoleBefore(name.lowerBound, in: scanned, sentence: sentence) { return .nameWithRole }
        var index = name.upperBound
        if hasSuffix(at: index, in: scanned, limit: sentence.upperBound) != nil { return .nameWithAttributes }
        // Skip one punctuation mark: ，, 、 （ (
        if let value = scanned.folded(at: index), [0xFF0C, 0x2C, 0x3001, 0x28].contains(value) { index += 1 }
        guard index < sentence.upperBound, let value = scanned.folded(at: index) else { return nil }
        if value == male || value == female {
            let next = scanned.folded(at: index + 1) ?? 0x20
            if !ScalarClass.isHan(next) || next == 0x6027 { return .nameWithAttributes }  // 性
        }
        if ScalarClass.isDigit(value) {
            var end = index
            while let digit = scanned.folded(at: end), ScalarClass.isDigit(digit), end - index < 3 { end += 1 }
            if scanned.folded(at: end) == sui { return .nameWithAttributes }
        }
        return nil
    }

    private static func hasRoleBefore(_ index: Int, in scanned: ScannedText, sentence: Range<Int>) -> Bool {
        personRoles.contains { role in
            let start = index - role.count
            guard start >= sentence.lowerBound else { return false }
            return Array(scanned.scalars[start..<index]) == role
        }
    }

    /// The length of a form of address (同志, 先生 …) at `index`, or nil.
    private static func hasSuffix(at index: Int, in scanned: ScannedText, limit: Int) -> Int? {
        for suffix in nameSuffixes where index + suffix.count <= limit {
            if Array(scanned.scalars[index..<(index + suffix.count)]) == suffix { return suffix.count }
        }
        return nil
    }

    /// The passage with names and numbers of the people in it de-identified.
    private static func deidentified(_ range: Range<Int>, cues: [PersonCue], numberHits: [PersonalInfoScanner.RawHit], in scanned: ScannedText) -> String {
        var replacements = cues.map { ($0.range, $0.replacement) }
        for hit in numberHits where range.contains(hit.range.lowerBound) && !replacements.contains(where: { $0.0 == hit.range }) {
            replacements.append((hit.range, hit.replacement))
        }
        replacements.sort { $0.0.lowerBound < $1.0.lowerBound }
        var result = ""
        var position = range.lowerBound
        for (part, replacement) in replacements where part.lowerBound >= position && part.upperBound <= range.upperBound {
            result += scanned.string(position..<part.lowerBound) + replacement
            position = part.upperBound
        }
        result += scanned.string(position..<range.upperBound)
        return result
    }
}
