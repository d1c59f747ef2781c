/**
 * The problem titles in Chinese, one per error code, for a client that asks
 * for Chinese (Accept-Language zh…, or ?lang=zh on the routes that take it): the people who read them
 * are verification officers, metrology officers of enterprises and inspectors.
 * The title says what kind of problem it is; the detail, which names the
 * field, the values and what to do, stays in English. The terms are those of
 * JJF 1001 (通用计量术语及定义) and of the State catalogue. A code missing here
 * fails the type-check.
 */
import type { ErrorCode } from '../core/errors.ts';

export const PROBLEM_TITLES_ZH: Readonly<Record<ErrorCode, string>> = {
  INVALID_JSON: '请求体不是有效的 JSON',
  JSON_NUMBER: '小数以 JSON 数字而非字符串提交',
  INVALID_DECIMAL: '小数字符串格式错误、非数或无穷大',
  INVALID_DATE: '日期不是有效的 YYYY-MM-DD 日历日期',
  INVALID_FIELD: '字段的类型、格式或取值有误',
  MISSING_FIELD: '缺少必填字段',
  UNKNOWN_FIELD: '接口不认识的字段',
  INVALID_RANGE: '下限高于上限',
  INVALID_CURSOR: '分页游标不是本服务签发的',
  CONFUSABLE_IDENTIFIER: '证书编号或器具编号含不可见字符、双向控制字符，或混用形近的拉丁、西里尔、希腊字母',
  NOT_FOUND: '所指的资源不存在',
  UNKNOWN_REFERENCE: '引用的机构、器具或记录不存在',
  WRONG_ORGANISATION_KIND: '引用的机构类型不能承担该角色',
  NOT_A_STANDARD: '把工作计量器具当作计量标准引用',
  SELF_REFERENCE: '器具引用了自身作为标准',
  SUPERSEDES_OTHER_SUBJECT: '更正的是另一台器具的记录',
  ALREADY_SUPERSEDED: '所更正的记录已被另一更正取代',
  INVALID_TRANSITION: '器具事件或变更与其历史不相容（未停用即启用、报废后再有事件、转给原使用单位、变更已撤销的授权范围或校准测量能力）',
  EVENT_OUT_OF_ORDER: '器具事件的生效日早于已登记的事件',
  AMENDMENT_OUT_OF_ORDER: '授权范围或校准测量能力的变更生效日不晚于前一版本',
  ALREADY_DECIDED: '使用单位提交的证书已确认或已拒绝，决定不可更改',
  DUPLICATE: '唯一值（标识、证书编号、器具编号）已被占用',
  INCONSISTENT_RECORD: '记录类型与其内容不一致',
  APPEND_ONLY: '记录只可追加：更正以新记录取代，不覆盖原记录',
  INVALID_DCC: '数字校准证书（DCC）格式错误，路径指明出错的元素',
  CMC_VIOLATION: '报告的不确定度小于实验室的校准测量能力（CMC）',
  INVALID_CHART: '检定系统表文件不符合格式',
  INVALID_REFERENCE_DATA: '随项目发布的目录或规则文件不符合格式',
  LEGAL_INTERVAL_EXCEEDED: '地方政策或调整后的周期超过了法定检定周期',
  NOT_APPLICABLE: '该请求不适用于此器具（如对只作首次检定的器具求检定周期）',
  LAB_NOT_AUTHORISED: '该机构没有覆盖此项工作的有效授权或考核范围',
  REFERENCE_NOT_VALID: '计量标准在检定/校准当日不可用（无有效记录、考核证书失效、停用或超差）',
  CHAIN_BROKEN: '强制检定当日其量值溯源链是断开的',
  UNCERTAINTY_BELOW_REFERENCE: '结果声称的不确定度小于所用计量标准的不确定度',
  DATE_IN_FUTURE: '已发生事项的日期晚于今天',
  CATEGORY_MISMATCH: '器具的被测量或用途与其强检目录类别不符',
  OUTCOME_CONTRADICTS_FINDINGS: '在用检查的结论比其发现应得的结论宽松（如封印破损却判合格）',
  VALIDITY_ON_RESULT_NOTICE: '不合格的检定写了有效期；检定结果通知书不载有效期',
  VERIFICATION_TYPE_ON_CALIBRATION: '校准记录写了检定类别，只有检定才有',
  CERTIFICATE_KIND_MISMATCH: '所写的证书种类与记录类型及结论矛盾',
  LABEL_NOT_ISSUED: '此记录不出具合格证：不合格的检定出具检定结果通知书，已被更正的记录以其更正为准',
  UNKNOWN_QUANTITY: '测量模型使用了未列出的量',
  INVALID_MODEL: '测量模型不是有效的表达式',
  UNSUPPORTED_FUNCTION: '测量模型使用了不支持的函数',
  AMBIGUOUS_QUANTITY_FORM: '输入量混用或缺少其允许形式的字段',
  NEGATIVE_UNCERTAINTY: '不确定度、半宽或扩展不确定度为负',
  INVALID_DOF: '自由度不是正数（或 "inf"）',
  TOO_FEW_OBSERVATIONS: 'A 类评定的观测值少于两个',
  INVALID_CORRELATION: '相关系数超出 [-1, 1]，或指向未知的量或同一个量',
  DUPLICATE_CORRELATION: '同一对输入量的相关系数给了两次',
  NOT_POSITIVE_SEMIDEFINITE: '相关系数矩阵不是半正定的',
  INVALID_COVERAGE: '包含概率不在 (0, 1) 内，也没有给出正的包含因子 k',
  EVALUATION_FAILED: '测量模型在输入估计值处无法计算（除以零、超出定义域）',
  INVALID_METHOD: '未知的评定方法或蒙特卡洛选项',
  COMPUTATION_LIMIT: '计算超过时限或内存上限，已被中止',
  LEDGER_KEY_UNAVAILABLE: '证据账本的密钥文件缺失、为空或格式错误，账本条目既不能签名也不能校验',
  LEDGER_ANCHORS_DAMAGED: '证据账本的锚定日志中有一行不是签名的锚',
  UNAUTHORISED: '没有有效的凭据',
  FORBIDDEN: '凭据不允许此操作',
  PAYLOAD_TOO_LARGE: '请求体超过大小上限',
  RATE_LIMITED: '此密钥或地址在当前时间窗内请求过多',
  UNAVAILABLE: '暂时无法连接数据库',
  INTERNAL: '意外故障，详情已记入服务器日志',
};

/** Whether a request asks for Chinese: ?lang first, else the language of Accept-Language with the highest q (the first of equals; q=0 refuses). */
export function wantsChinese(langParam: unknown, acceptLanguage: string | undefined): boolean {
  if (langParam === 'zh') return true;
  if (langParam === 'en') return false;
  let best = { tag: '', q: 0 };
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (tag !== '' && Number.isFinite(q) && q > best.q) best = { tag, q };
  }
  return best.tag === 'zh' || best.tag.startsWith('zh-');
}
