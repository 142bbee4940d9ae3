//! The official labels and layout of the report tables, as data: which rows
//! and columns each format has, their keys in the content file and their
//! labels as printed in 国办公开办函〔2021〕30号 (and the 2019 trial format).
//! Parsing, checks, the `new` template, rendering and the importer all read
//! these tables, so a label is written once.

/// Table names as printed (the section headings that hold the tables).
pub const TABLE_2: &str = "二、主动公开政府信息情况";
pub const TABLE_3: &str = "三、收到和处理政府信息公开申请情况";
pub const TABLE_4: &str = "四、政府信息公开行政复议、行政诉讼情况";

/// What separates the labels of a place in messages (`三、…, 一、本年新收…`):
/// `, ` in English, `，` in Chinese.
pub fn sep() -> std::borrow::Cow<'static, str> {
    t!("check.place_sep")
}

/// The six sections of a report, in order.
pub const SECTIONS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// The Chinese numerals that open section headings, 一 … 六.
pub const SECTION_NUMERALS: [char; 6] = ['一', '二', '三', '四', '五', '六'];

/// Table 三's seven number columns.
pub const REQUEST_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

/// Table 三's column keys (for data files).
pub const REQUEST_COLUMN_KEYS: [&str; 7] = [
    "natural_person",
    "business",
    "research",
    "public_interest",
    "legal_service",
    "other",
    "total",
];

/// Table 四's five number columns within each block.
pub const APPEAL_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
pub const APPEAL_COLUMN_KEYS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// The kind of a table-三 row, for the balance checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// 一 新收
    New,
    /// 二 上年结转
    CarriedOver,
    /// one of the result rows of 三 (summed into （七）总计)
    Result,
    /// 三（七）总计
    Total,
    /// 四 结转下年度继续办理
    CarriedForward,
}

/// One row of table 三.
#[derive(Debug)]
pub struct RowDef {
    /// Key in the content file under `requests`; `group.key` for sub-rows.
    pub group: Option<&'static str>,
    pub key: &'static str,
    /// The row's own label as printed.
    pub label: &'static str,
    /// The short name used in balance messages (`一 新收`).
    pub short: &'static str,
    pub kind: RowKind,
}

impl RowDef {
    /// `denied.state_secret` or `new`.
    pub fn path(&self) -> String {
        match self.group {
            Some(g) => format!("{g}.{}", self.key),
            None => self.key.to_string(),
        }
    }

    /// The full label, with the labels of the blocks it sits in
    /// (`三、本年度办理结果（三）不予公开 1.属于国家秘密`).
    pub fn full_label(&self) -> String {
        match (self.kind, self.group) {
            (RowKind::Result, Some(g)) => {
                format!("三、本年度办理结果{} {}", group_label(g), self.label)
            }
            (RowKind::Result | RowKind::Total, None) => format!("三、本年度办理结果{}", self.label),
            _ => self.label.to_string(),
        }
    }
}

/// A block of sub-rows in table 三.
#[derive(Debug)]
pub struct GroupDef {
    pub key: &'static str,
    pub label: &'static str,
}

pub const REQUEST_GROUPS: [GroupDef; 4] = [
    GroupDef {
        key: "denied",
        label: "（三）不予公开",
    },
    GroupDef {
        key: "unavailable",
        label: "（四）无法提供",
    },
    GroupDef {
        key: "not_processed",
        label: "（五）不予处理",
    },
    GroupDef {
        key: "other",
        label: "（六）其他处理",
    },
];

pub fn group_label(key: &str) -> &'static str {
    REQUEST_GROUPS
        .iter()
        .find(|g| g.key == key)
        .map(|g| g.label)
        .unwrap_or("")
}

const fn row(key: &'static str, label: &'static str, short: &'static str, kind: RowKind) -> RowDef {
    RowDef {
        group: None,
        key,
        label,
        short,
        kind,
    }
}

const fn sub(group: &'static str, key: &'static str, label: &'static str) -> RowDef {
    RowDef {
        group: Some(group),
        key,
        label,
        short: label,
        kind: RowKind::Result,
    }
}

const fn result(key: &'static str, label: &'static str) -> RowDef {
    RowDef {
        group: None,
        key,
        label,
        short: label,
        kind: RowKind::Result,
    }
}

const NEW: RowDef = row("new", "一、本年新收政府信息公开申请数量", "一 新收", RowKind::New);
const CARRIED_OVER: RowDef = row(
    "carried_over",
    "二、上年结转政府信息公开申请数量",
    "二 上年结转",
    RowKind::CarriedOver,
);
const TOTAL: RowDef = row("total", "（七）总计", "三（七）总计", RowKind::Total);
const CARRIED_FORWARD: RowDef = row(
    "carried_forward",
    "四、结转下年度继续办理",
    "四 结转下年度",
    RowKind::CarriedForward,
);

/// Table 三 of the 2021 format: 25 number rows, in printed order.
pub const REQUEST_ROWS_2021: [RowDef; 25] = [
    NEW,
    CARRIED_OVER,
    result("granted", "（一）予以公开"),
    result("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    sub("denied", "state_secret", "1.属于国家秘密"),
    sub("denied", "law_prohibited", "2.其他法律行政法规禁止公开"),
    sub("denied", "security_stability", "3.危及“三安全一稳定”"),
    sub("denied", "third_party", "4.保护第三方合法权益"),
    sub("denied", "internal_affairs", "5.属于三类内部事务信息"),
    sub("denied", "deliberative", "6.属于四类过程性信息"),
    sub("denied", "enforcement_case", "7.属于行政执法案卷"),
    sub("denied", "query_matter", "8.属于行政查询事项"),
    sub("unavailable", "not_held", "1.本机关不掌握相关政府信息"),
    sub("unavailable", "needs_creation", "2.没有现成信息需要另行制作"),
    sub("unavailable", "unclear", "3.补正后申请内容仍不明确"),
    sub("not_processed", "complaint", "1.信访举报投诉类申请"),
    sub("not_processed", "duplicate", "2.重复申请"),
    sub("not_processed", "publication", "3.要求提供公开出版物"),
    sub("not_processed", "excessive", "4.无正当理由大量反复申请"),
    sub(
        "not_processed",
        "confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    sub(
        "other",
        "no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    sub(
        "other",
        "unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    sub("other", "other", "3.其他"),
    TOTAL,
    CARRIED_FORWARD,
];

/// Table 三 of the 2019 trial format: as 2021, but （六）其他处理 is one row.
pub const REQUEST_ROWS_2019: [RowDef; 23] = [
    NEW,
    CARRIED_OVER,
    result("granted", "（一）予以公开"),
    result("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    sub("denied", "state_secret", "1.属于国家秘密"),
    sub("denied", "law_prohibited", "2.其他法律行政法规禁止公开"),
    sub("denied", "security_stability", "3.危及“三安全一稳定”"),
    sub("denied", "third_party", "4.保护第三方合法权益"),
    sub("denied", "internal_affairs", "5.属于三类内部事务信息"),
    sub("denied", "deliberative", "6.属于四类过程性信息"),
    sub("denied", "enforcement_case", "7.属于行政执法案卷"),
    sub("denied", "query_matter", "8.属于行政查询事项"),
    sub("unavailable", "not_held", "1.本机关不掌握相关政府信息"),
    sub("unavailable", "needs_creation", "2.没有现成信息需要另行制作"),
    sub("unavailable", "unclear", "3.补正后申请内容仍不明确"),
    sub("not_processed", "complaint", "1.信访举报投诉类申请"),
    sub("not_processed", "duplicate", "2.重复申请"),
    sub("not_processed", "publication", "3.要求提供公开出版物"),
    sub("not_processed", "excessive", "4.无正当理由大量反复申请"),
    sub(
        "not_processed",
        "confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    result("other", "（六）其他处理"),
    TOTAL,
    CARRIED_FORWARD,
];

/// One row of table 四: the block it belongs to, its key and label.
#[derive(Debug)]
pub struct AppealDef {
    pub key: &'static str,
    pub label: &'static str,
}

pub const APPEAL_ROWS: [AppealDef; 3] = [
    AppealDef {
        key: "review",
        label: "行政复议",
    },
    AppealDef {
        key: "litigation_direct",
        label: "行政诉讼 未经复议直接起诉",
    },
    AppealDef {
        key: "litigation_after_review",
        label: "行政诉讼 复议后起诉",
    },
];

/// What a number field of table 二 holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A non-negative integer count.
    Count,
    /// An integer that may be negative (本年增/减).
    Change,
    /// A non-negative amount with at most 6 decimals (万元 to the 分), stored
    /// in units of 1/1,000,000 (see [`super::parse::AMOUNT_SCALE`]).
    Amount,
}

/// One number column of a table-二 item.
#[derive(Debug)]
pub struct FieldDef {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
}

/// One row of table 二: a mapping of fields (`rules: {issued: …}`), or a
/// single number written directly (`licensing: 0`) when `scalar`.
#[derive(Debug)]
pub struct ItemDef {
    pub key: &'static str,
    pub label: &'static str,
    /// The block header, e.g. 第二十条第（一）项.
    pub block: &'static str,
    pub scalar: bool,
    pub fields: &'static [FieldDef],
}

const fn field(key: &'static str, label: &'static str, kind: FieldKind) -> FieldDef {
    FieldDef { key, label, kind }
}

const DOCS_2021: &[FieldDef] = &[
    field("issued", "本年制发件数", FieldKind::Count),
    field("repealed", "本年废止件数", FieldKind::Count),
    field("in_force", "现行有效件数", FieldKind::Count),
];
const DECISIONS_2021: &[FieldDef] = &[field("decisions", "本年处理决定数量", FieldKind::Count)];
const FEES_2021: &[FieldDef] = &[field("amount", "本年收费金额（单位：万元）", FieldKind::Amount)];

pub const BLOCK_1: &str = "第二十条第（一）项";
pub const BLOCK_5: &str = "第二十条第（五）项";
pub const BLOCK_6: &str = "第二十条第（六）项";
pub const BLOCK_8: &str = "第二十条第（八）项";
pub const BLOCK_9: &str = "第二十条第（九）项";

/// Table 二 of the 2021 format.
pub const PROACTIVE_2021: [ItemDef; 6] = [
    ItemDef {
        key: "rules",
        label: "规章",
        block: BLOCK_1,
        scalar: false,
        fields: DOCS_2021,
    },
    ItemDef {
        key: "normative_docs",
        label: "行政规范性文件",
        block: BLOCK_1,
        scalar: false,
        fields: DOCS_2021,
    },
    ItemDef {
        key: "licensing",
        label: "行政许可",
        block: BLOCK_5,
        scalar: true,
        fields: DECISIONS_2021,
    },
    ItemDef {
        key: "penalty",
        label: "行政处罚",
        block: BLOCK_6,
        scalar: true,
        fields: DECISIONS_2021,
    },
    ItemDef {
        key: "coercion",
        label: "行政强制",
        block: BLOCK_6,
        scalar: true,
        fields: DECISIONS_2021,
    },
    ItemDef {
        key: "fees",
        label: "行政事业性收费",
        block: BLOCK_8,
        scalar: true,
        fields: FEES_2021,
    },
];

/// Indices into [`PROACTIVE_2021`] and its fields, for the cross-year check R11.
pub const P21_RULES: usize = 0;
pub const P21_NORMATIVE: usize = 1;
pub const F21_ISSUED: usize = 0;
pub const F21_REPEALED: usize = 1;
pub const F21_IN_FORCE: usize = 2;

const DOCS_2019: &[FieldDef] = &[
    field("new_made", "本年新制作数量", FieldKind::Count),
    field("new_published", "本年新公开数量", FieldKind::Count),
    field("total_published", "对外公开总数量", FieldKind::Count),
];
const ITEMS_2019: &[FieldDef] = &[
    field("prev_count", "上一年项目数量", FieldKind::Count),
    field("change", "本年增/减", FieldKind::Change),
    field("decisions", "处理决定数量", FieldKind::Count),
];
const FEES_2019: &[FieldDef] = &[
    field("prev_count", "上一年项目数量", FieldKind::Count),
    field("change", "本年增/减", FieldKind::Change),
];
const PROCUREMENT_2019: &[FieldDef] = &[
    field("items", "采购项目数量", FieldKind::Count),
    field("amount", "采购总金额", FieldKind::Amount),
];

/// Table 二 of the 2019 trial format.
pub const PROACTIVE_2019: [ItemDef; 8] = [
    ItemDef {
        key: "rules",
        label: "规章",
        block: BLOCK_1,
        scalar: false,
        fields: DOCS_2019,
    },
    ItemDef {
        key: "normative_docs",
        label: "规范性文件",
        block: BLOCK_1,
        scalar: false,
        fields: DOCS_2019,
    },
    ItemDef {
        key: "licensing",
        label: "行政许可",
        block: BLOCK_5,
        scalar: false,
        fields: ITEMS_2019,
    },
    ItemDef {
        key: "other_services",
        label: "其他对外管理服务事项",
        block: BLOCK_5,
        scalar: false,
        fields: ITEMS_2019,
    },
    ItemDef {
        key: "penalty",
        label: "行政处罚",
        block: BLOCK_6,
        scalar: false,
        fields: ITEMS_2019,
    },
    ItemDef {
        key: "coercion",
        label: "行政强制",
        block: BLOCK_6,
        scalar: false,
        fields: ITEMS_2019,
    },
    ItemDef {
        key: "fees",
        label: "行政事业性收费",
        block: BLOCK_8,
        scalar: false,
        fields: FEES_2019,
    },
    ItemDef {
        key: "procurement",
        label: "政府集中采购",
        block: BLOCK_9,
        scalar: false,
        fields: PROCUREMENT_2019,
    },
];
