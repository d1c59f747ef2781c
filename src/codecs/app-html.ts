/**
 * The web pages at /app (issue #21) as HTML: a layout, the words in Chinese
 * and English, and the pieces each page is made of. Presentation only: every
 * fact shown comes from a use case, as the API returns it. No inline script
 * or style (the CSP allows only the app's own files: /app/app.css, /app/app.js).
 */
import type { Label } from './label.ts';
import { esc } from './svg.ts';

export type Lang = 'zh' | 'en';
export type PageRole = 'admin' | 'lab' | 'owner' | 'inspector' | 'auditor';

/** The four words an owner reads a status in (the exact state is shown beside it). */
export type StatusBucket = 'in_force' | 'due_soon' | 'overdue' | 'prohibited' | 'not_mandatory';

/** Which of the four a state falls in: presentation of the state the status gives, not a rule. */
export function bucketOf(state: string, usable: boolean): StatusBucket {
  if (state === 'in_force') return 'in_force';
  if (state === 'due_soon') return 'due_soon';
  if (state === 'overdue' || state === 'expired_in_grace') return 'overdue';
  if (state === 'not_mandatory') return usable ? 'not_mandatory' : 'prohibited';
  return 'prohibited';
}

export const TEXT = {
  zh: {
    app: '计量工作台',
    other: 'English',
    signIn: '登录',
    signInTitle: '用 API 密钥登录',
    signInIntro: '输入管理员发给您的 API 密钥（mtk_…）。密钥只用于这次登录：之后浏览器只保存会话 Cookie，密钥不会保存在页面里。',
    keyLabel: 'API 密钥',
    signOut: '退出',
    idleNote: (m: number) => `${m} 分钟无操作自动退出。`,
    signedInAs: (role: string, org: string) => `${role} · ${org}`,
    roles: { admin: '管理员', lab: '检定/校准机构', owner: '使用单位', inspector: '监督检查', auditor: '能源计量审核' } as Record<PageRole, string>,
    nav: {
      energy: '能源计量',
      instruments: '计量器具',
      due: '到期清单',
      import: '导入台账',
      search: '查询',
      standards: '计量标准',
      record: '录入检定/校准',
      audits: '能源计量审核',
      findings: '超差发现',
      plans: '检定计划',
    },
    bucket: { in_force: '有效', due_soon: '即将到期', overdue: '逾期', prohibited: '禁止使用', not_mandatory: '非强检' } as Record<StatusBucket, string>,
    col: {
      id: '器具ID',
      name: '名称',
      asset: '器具编号',
      owner: '使用单位',
      category: '强检类别',
      status: '状态',
      dueOn: '到期日',
      days: '距到期天数',
      certificate: '证书编号',
      lab: '检定机构',
      verifiedOn: '检定日期',
      validUntil: '有效期至',
      location: '位置',
      kind: '类型',
      conformity: '结论',
      date: '日期',
      event: '事件',
      detail: '说明',
      assessment: '考核证书',
      assessmentValid: '考核证书有效期至',
      level: '等级',
      row: '行',
      column: '列',
      code: '代码',
      message: '问题',
      region: '行政区划',
      point: '计量点',
      energyType: '能源种类',
      consumption: '消耗量/功率',
      meter: '计量器具',
      quantity: '被测量',
      range: '测量范围',
      mandatory: '强制检定',
      validFrom: '有效期起',
      authorisation: '授权证书号',
      uncertainty: '扩展不确定度',
      finding: '编号',
      foundOn: '发现日期',
      lastKnownGood: '最后确认合格日',
      remarks: '说明',
      impacted: '受影响器具',
      standard: '计量标准',
      labId: '机构',
      monthly: '每月',
      month: '月份',
      assigned: '已安排',
      capacity: '能力',
      count: '台数',
      unplaced: '无法安排',
      reason: '原因',
      late: '延后',
      audit: '审核',
      verdict: '结论',
      auditFindings: '发现项',
    },
    instrumentsTitle: '计量器具及检定状态',
    counts: '按状态统计',
    none: '没有。',
    more: '下一页',
    dueTitle: '到期和逾期清单',
    dueTo: '到期日截至',
    regionLabel: '行政区划代码（可选）',
    show: '显示',
    csv: '导出 CSV（Excel 可直接打开）',
    importTitle: '导入台账',
    registerKind: '台账类别',
    registerKinds: {
      equipment: '计量器具（设备台账）',
      records: '本机构出具的检定/校准证书（每个测量点一行）',
      scopes: '机构授权项目（授权范围）',
      cmcs: '机构校准测量能力（CMC）',
    } as Record<string, string>,
    importIntro:
      '上传 CSV 或 XLSX 台账（模板见下）。先“检查”：逐行报告问题（行号、列、代码、说明），不写入任何内容；改好文件后再“导入”。重复导入同一文件不会改变任何内容。',
    template: (l: string) => `下载模板：${l}`,
    file: '文件',
    mode: '方式',
    modeValid: '导入所有有效行',
    modeAll: '全部有效才导入（否则什么都不写）',
    dryRun: '检查（不写入）',
    commit: '导入',
    jobTitle: (dry: boolean) => (dry ? '检查结果' : '导入结果'),
    jobSummary: (total: number) => `共 ${total} 行。`,
    rowStatus: {
      created: '已登记',
      amended: '已变更（新版本）',
      unchanged: '未变',
      valid: '有效',
      conflict: '冲突',
      error: '有错误',
      not_imported: '未导入',
    } as Record<string, string>,
    problemsTitle: '问题',
    reportCsv: '逐行报告 (CSV)',
    noProblems: '没有问题。',
    searchTitle: '查询计量器具',
    searchLabel: '证书编号、器具编号、使用单位或位置',
    searchButton: '查询',
    searchNone: '没有找到。',
    searchBy: { certificate: '按证书编号', asset: '按器具编号', owner: '按使用单位', location: '按位置' } as Record<string, string>,
    instrumentTitle: '计量器具',
    chain: '溯源链',
    controlChart: '控制图（示值误差与最大允许误差）',
    impactTitle: '影响分析',
    energyTitle: '能源计量器具配备清单',
    energyIntro: (v: number) => `最新版本（第 ${v} 版）的计量点及其计量器具今日的检定状态。`,
    levels: { organisation: '进出用能单位', sub_unit: '主要次级用能单位', equipment: '主要用能设备' } as Record<string, string>,
    impactIntro: '自某日（最后确认合格之日）起，结果依赖这台计量标准的全部器具（逐级追溯，强检器具在前）。',
    impactSince: '自',
    scopesTitle: '授权范围（今日有效）',
    cmcsTitle: '校准测量能力 CMC（今日有效）',
    history: '检定/校准记录',
    events: '使用履历',
    verdict: '结论',
    standardsTitle: '本机构的计量标准',
    expired: '已过期',
    standardsIntro: '按最早到期排序：检定/校准证书和计量标准考核证书中先到期的在前。',
    recordTitle: '录入检定/校准记录',
    recordIntro: '与 API 相同的校验：每个问题显示在对应的字段旁。',
    f: {
      kind: '类型',
      subjectId: '被检器具ID',
      certificateNo: '证书编号',
      performedOn: '检定/校准日期',
      validUntil: '有效期至',
      conformity: '结论',
      referenceIds: '所用计量标准ID（逗号分隔）',
      verificationType: '检定类别',
      procedure: '检定/校准依据',
      verifier: '检定员',
      checker: '核验员',
      approver: '批准人',
      nominal: '示值点（标称值）',
      asFound: '实测值',
      unit: '单位',
      equipmentId: '计量标准',
      foundOn: '发现超差日期',
      lastKnownGood: '最后确认合格日期',
      remarks: '说明',
      from: '自（月份以此日期计）',
      months: '月数（1–120）',
      regionCode: '行政区划代码（可选）',
      category: '强检类别代码（可选）',
    } as Record<string, string>,
    kinds: { verification: '检定', calibration: '校准' } as Record<string, string>,
    conformities: { pass: '合格', fail: '不合格' } as Record<string, string>,
    verificationTypes: {
      '': '—',
      initial: '首次检定',
      subsequent: '后续检定',
      periodic: '周期检定',
      after_repair: '修理后检定',
      in_use_check: '使用中检查',
    } as Record<string, string>,
    save: '提交',
    saved: (no: string) => `已录入：证书 ${no}。`,
    formErrors: '未录入，请改正下列问题：',
    auditsTitle: '能源计量审核',
    auditIntro: '按 GB 17167 审核一个单位最新的能源计量器具配备清单。',
    organisation: '单位',
    at: '审核日期',
    runAudit: '开始审核',
    openReport: '查看报告',
    refused: '无权访问',
    refusedText: '这个页面不对您的密钥角色开放。',
    csrfTitle: '表单已失效',
    csrfText: '这个表单没有有效的安全令牌（可能页面已过期）。请返回、刷新页面后重试。',
    notFound: '没有找到',
    signInFailed: (r: string) => `登录失败：${r}`,
    sessionEnded: '会话已结束，请重新登录。',
    back: '返回',
    findingsTitle: '超差发现',
    findingsIntro: '本机构计量标准的超差发现（期间核查或校准中发现），每条附其影响清单：自最后确认合格之日起结果依赖该标准的全部器具。',
    findingTitle: (id: string) => `超差发现 ${id}`,
    findingIntro: (eq: string, since: string) => `自 ${since}（最后确认合格之日）起，结果依赖计量标准 ${eq} 的全部器具（逐级追溯，强检器具在前）。`,
    recordFindingTitle: '记录超差发现',
    recordFindingIntro: '与 API（POST /v1/equipment/{id}/out-of-tolerance）相同的校验；记录后不能修改（只追加）。',
    findingSaved: (id: string) => `已记录超差发现 ${id}。`,
    impactList: '影响清单',
    plansTitle: '检定能力计划',
    plansIntro: '把一段时期内到期的强制检定排入各授权机构的月检定能力；排不下的按月份和类别列为溢出，不会丢弃。计划一经编制即保存。',
    capacitiesTitle: '各机构的月检定能力',
    runPlan: '编制计划',
    planTitle: (id: string) => `检定计划 ${id}`,
    planSummary: (s: { due: number; onTime: number; late: number; unplaced: number; alreadyOverdue: number }) =>
      `到期 ${s.due} 台：按期 ${s.onTime}，延后 ${s.late}，无法安排 ${s.unplaced}（其中已逾期 ${s.alreadyOverdue}）。`,
    overflowTitle: '溢出（到期月份 × 类别）',
    loadTitle: '各机构各月负荷',
    unplacedTitle: '无法安排',
    assignmentsTitle: '安排',
    methodTitle: '编排方法',
    plans: { no_authorised_institution: '没有授权机构', no_capacity_in_horizon: '期内无剩余能力' } as Record<string, string>,
    pastAudits: '历次审核',
    verdicts: { compliant: '符合要求', non_compliant: '不符合要求' } as Record<string, string>,
    historyCut: (n: number) => `每页显示 ${n} 条记录，还有更多：`,
    lot: {
      title: (id: string) => `批 ${id}（运行中计量器具）`,
      facts: '批的信息',
      stateAt: (at: string) => `${at} 的状态`,
      state: '其后的状态',
      owner: '使用单位',
      category: '强检目录类别',
      model: '型号规格',
      patternApprovalNo: '型式批准编号',
      manufacturer: '制造单位',
      batch: '批号',
      installed: '安装期间',
      region: '地区',
      size: '批量',
      registeredOn: '登记日期',
      lifeEndsOn: '使用年限截止日',
      plans: '抽样方案与判定',
      plan: '方案',
      plannedOn: '抽取日期',
      method: '抽样方式',
      methods: { attributes: '计数（GB/T 2828.1）', variables: '计量（ANSI/ASQ Z1.9 s 法）' } as Record<string, string>,
      codeLetter: '字码',
      n: '样本量n',
      acRe: 'Ac / Re',
      k: '接收常数k',
      mpe: 'MPE',
      aql: 'AQL(%)',
      severity: '严格度',
      recordedOn: '判定日期',
      d: '不合格品数d',
      decision: '判定',
      decisions: { accept: '接收', reject: '不接收' } as Record<string, string>,
      statistics: 'x̄ / s / Q_U / Q_L',
      rule: '判定规则',
      oc: '操作特性（OC）曲线',
      ocOf: (id: string) => `方案 ${id} 的 OC 曲线`,
      history: '履历',
      csv: '下载履历 CSV',
      noPlans: '尚未抽取抽样方案。',
    },
  },
  en: {
    app: 'Metrology workspace',
    other: '中文',
    signIn: 'Sign in',
    signInTitle: 'Sign in with an API key',
    signInIntro:
      'Type the API key (mtk_…) an administrator gave you. The key is used for this sign-in only: afterwards the browser keeps a session cookie, and the key is never written into a page.',
    keyLabel: 'API key',
    signOut: 'Sign out',
    idleNote: (m: number) => `Signed out after ${m} minutes without activity.`,
    signedInAs: (role: string, org: string) => `${role} · ${org}`,
    roles: { admin: 'Administrator', lab: 'Laboratory', owner: 'Owner', inspector: 'Inspector', auditor: 'Energy auditor' } as Record<PageRole, string>,
    nav: {
      energy: 'Energy metering',
      instruments: 'Instruments',
      due: 'Due list',
      import: 'Import register',
      search: 'Search',
      standards: 'Standards',
      record: 'Record a result',
      audits: 'Energy audits',
      findings: 'Findings',
      plans: 'Capacity plans',
    },
    bucket: { in_force: 'In force', due_soon: 'Due soon', overdue: 'Overdue', prohibited: 'Prohibited', not_mandatory: 'Not mandatory' } as Record<
      StatusBucket,
      string
    >,
    col: {
      id: 'Instrument id',
      name: 'Name',
      asset: 'Asset code',
      owner: 'Owner',
      category: 'Category',
      status: 'Status',
      dueOn: 'Due on',
      days: 'Days to due',
      certificate: 'Certificate no.',
      lab: 'Lab',
      verifiedOn: 'Verified on',
      validUntil: 'Valid until',
      location: 'Location',
      kind: 'Kind',
      conformity: 'Conformity',
      date: 'Date',
      event: 'Event',
      detail: 'Detail',
      assessment: 'Assessment certificate',
      assessmentValid: 'Assessment valid until',
      level: 'Level',
      row: 'Row',
      column: 'Column',
      code: 'Code',
      message: 'Problem',
      region: 'Region',
      point: 'Metering point',
      energyType: 'Energy',
      consumption: 'Consumption / power',
      meter: 'Meter',
      quantity: 'Quantity',
      range: 'Range',
      mandatory: 'Mandatory verification',
      validFrom: 'Valid from',
      authorisation: 'Authorisation no.',
      uncertainty: 'Expanded uncertainty',
      finding: 'Finding',
      foundOn: 'Found on',
      lastKnownGood: 'Last known good',
      remarks: 'Remarks',
      impacted: 'Instruments affected',
      standard: 'Standard',
      labId: 'Institution',
      monthly: 'Per month',
      month: 'Month',
      assigned: 'Assigned',
      capacity: 'Capacity',
      count: 'Count',
      unplaced: 'Unplaced',
      reason: 'Reason',
      late: 'Late',
      audit: 'Audit',
      verdict: 'Verdict',
      auditFindings: 'Findings',
    },
    instrumentsTitle: 'Instruments and their verification status',
    counts: 'By status',
    none: 'None.',
    more: 'Next page',
    dueTitle: 'Due and overdue instruments',
    dueTo: 'Due by',
    regionLabel: 'Region code (optional)',
    show: 'Show',
    csv: 'Export CSV (opens in Excel)',
    importTitle: 'Import a register',
    registerKind: 'Register',
    registerKinds: {
      equipment: 'Equipment (instruments and standards)',
      records: 'Certificates this lab issued (one measured point a row)',
      scopes: "Labs' authorised scopes",
      cmcs: "Labs' calibration and measurement capabilities (CMCs)",
    } as Record<string, string>,
    importIntro:
      'Upload a CSV or XLSX register (templates below). Check it first: every row’s problems are reported (row, column, code, sentence) and nothing is written; fix the file, then import. Importing the same file again changes nothing.',
    template: (l: string) => `Templates: ${l}`,
    file: 'File',
    mode: 'Mode',
    modeValid: 'Import every valid row',
    modeAll: 'All or nothing (write nothing unless every row is valid)',
    dryRun: 'Check (writes nothing)',
    commit: 'Import',
    jobTitle: (dry: boolean) => (dry ? 'Check result' : 'Import result'),
    jobSummary: (total: number) => `${total} rows.`,
    rowStatus: {
      created: 'created',
      amended: 'amended (new version)',
      unchanged: 'unchanged',
      valid: 'valid',
      conflict: 'conflict',
      error: 'error',
      not_imported: 'not imported',
    } as Record<string, string>,
    problemsTitle: 'Problems',
    reportCsv: 'Row report (CSV)',
    noProblems: 'No problems.',
    searchTitle: 'Find an instrument',
    searchLabel: 'Certificate number, asset code, owner or location',
    searchButton: 'Search',
    searchNone: 'Nothing found.',
    searchBy: { certificate: 'by certificate number', asset: 'by asset code', owner: 'by owner', location: 'by location' } as Record<string, string>,
    instrumentTitle: 'Instrument',
    chain: 'Traceability chain',
    controlChart: 'Control chart (as-found errors against the MPE)',
    impactTitle: 'Impact',
    energyTitle: 'Energy-metering inventory',
    energyIntro: (v: number) => `The metering points of the latest version (${v}) and the verification status of their meters today.`,
    levels: { organisation: 'Organisation boundary', sub_unit: 'Major secondary unit', equipment: 'Major equipment' } as Record<string, string>,
    impactIntro:
      'Every instrument whose result depended on this standard on or after a date (its last known good day), transitively, mandatory instruments first.',
    impactSince: 'Since',
    scopesTitle: 'Authorised scope (in force today)',
    cmcsTitle: 'Calibration and measurement capabilities (in force today)',
    history: 'Calibrations and verifications',
    events: 'Life events',
    verdict: 'Verdict',
    standardsTitle: 'Our measurement standards',
    expired: 'Expired',
    standardsIntro: 'Expiring first: whichever of the calibration certificate and the assessment certificate (考核证书) ends sooner.',
    recordTitle: 'Record a calibration or verification',
    recordIntro: 'Checked exactly as the API checks it: each problem is shown at its field.',
    f: {
      kind: 'Kind',
      subjectId: 'Instrument id',
      certificateNo: 'Certificate number',
      performedOn: 'Performed on',
      validUntil: 'Valid until',
      conformity: 'Conformity',
      referenceIds: 'Standards used (ids, comma-separated)',
      verificationType: 'Verification type',
      procedure: 'Procedure',
      verifier: 'Verifier',
      checker: 'Checker',
      approver: 'Approver',
      nominal: 'Point (nominal)',
      asFound: 'As found',
      unit: 'Unit',
      equipmentId: 'Standard',
      foundOn: 'Found out of tolerance on',
      lastKnownGood: 'Last known good on',
      remarks: 'Remarks',
      from: 'From (the month of this date)',
      months: 'Months (1–120)',
      regionCode: 'Region code (optional)',
      category: 'Category code (optional)',
    } as Record<string, string>,
    kinds: { verification: 'Verification', calibration: 'Calibration' } as Record<string, string>,
    conformities: { pass: 'Pass', fail: 'Fail' } as Record<string, string>,
    verificationTypes: {
      '': '—',
      initial: 'Initial',
      subsequent: 'Subsequent',
      periodic: 'Periodic',
      after_repair: 'After repair',
      in_use_check: 'In-use check',
    } as Record<string, string>,
    save: 'Submit',
    saved: (no: string) => `Recorded: certificate ${no}.`,
    formErrors: 'Not recorded; correct these:',
    auditsTitle: 'Energy-metering audits',
    auditIntro: 'Audit the latest energy-metering inventory of an organisation against GB 17167.',
    organisation: 'Organisation',
    at: 'Audit date',
    runAudit: 'Run the audit',
    openReport: 'Open the report',
    refused: 'Not open to you',
    refusedText: 'This page is not open to your key’s role.',
    csrfTitle: 'The form has expired',
    csrfText: 'This form carried no valid security token (the page may be old). Go back, reload the page and try again.',
    notFound: 'Not found',
    signInFailed: (r: string) => `Could not sign in: ${r}`,
    sessionEnded: 'Your session has ended; sign in again.',
    back: 'Back',
    findingsTitle: 'Out-of-tolerance findings',
    findingsIntro:
      "Findings against this lab's standards (found in an intermediate check or a calibration), each with its impact list: every instrument whose result depended on the standard since its last known good day.",
    findingTitle: (id: string) => `Out-of-tolerance finding ${id}`,
    findingIntro: (eq: string, since: string) =>
      `Every instrument whose result depended on the standard ${eq} on or after ${since} (its last known good day), transitively, mandatory instruments first.`,
    recordFindingTitle: 'Record an out-of-tolerance finding',
    recordFindingIntro: 'Checked as the API (POST /v1/equipment/{id}/out-of-tolerance) checks it; once recorded it is not changed (append-only).',
    findingSaved: (id: string) => `Finding ${id} recorded.`,
    impactList: 'Impact list',
    plansTitle: 'Verification capacity plans',
    plansIntro:
      "Plan the mandatory verifications due over a horizon onto the institutions' monthly capacities; what does not fit is reported as overflow by month and category, not dropped. A plan is kept once made.",
    capacitiesTitle: 'Monthly capacities of the institutions',
    runPlan: 'Make the plan',
    planTitle: (id: string) => `Verification plan ${id}`,
    planSummary: (s: { due: number; onTime: number; late: number; unplaced: number; alreadyOverdue: number }) =>
      `${s.due} due: ${s.onTime} on time, ${s.late} late, ${s.unplaced} unplaced (${s.alreadyOverdue} already overdue).`,
    overflowTitle: 'Overflow (due month × category)',
    loadTitle: 'Load by institution and month',
    unplacedTitle: 'Unplaced',
    assignmentsTitle: 'Assignments',
    methodTitle: 'Method',
    plans: { no_authorised_institution: 'no authorised institution', no_capacity_in_horizon: 'no capacity left in the horizon' } as Record<string, string>,
    pastAudits: 'Past audits',
    verdicts: { compliant: 'Compliant', non_compliant: 'Not compliant' } as Record<string, string>,
    historyCut: (n: number) => `${n} records a page, and there are more:`,
    lot: {
      title: (id: string) => `Lot ${id} (meters in service)`,
      facts: 'The lot',
      stateAt: (at: string) => `State on ${at}`,
      state: 'State after',
      owner: 'Owner',
      category: 'Catalogue category',
      model: 'Model',
      patternApprovalNo: 'Pattern approval no.',
      manufacturer: 'Manufacturer',
      batch: 'Batch',
      installed: 'Installed',
      region: 'Region',
      size: 'Meters',
      registeredOn: 'Registered on',
      lifeEndsOn: 'Service life ends on',
      plans: 'Sampling plans and decisions',
      plan: 'Plan',
      plannedOn: 'Drawn on',
      method: 'Method',
      methods: { attributes: 'attributes (GB/T 2828.1)', variables: 'variables (ANSI/ASQ Z1.9 s method)' } as Record<string, string>,
      codeLetter: 'Code letter',
      n: 'n',
      acRe: 'Ac / Re',
      k: 'k',
      mpe: 'MPE',
      aql: 'AQL (%)',
      severity: 'Severity',
      recordedOn: 'Decided on',
      d: 'Nonconforming d',
      decision: 'Decision',
      decisions: { accept: 'accepted', reject: 'not accepted' } as Record<string, string>,
      statistics: 'x̄ / s / Q_U / Q_L',
      rule: 'Rule',
      oc: 'Operating characteristic (OC) curves',
      ocOf: (id: string) => `OC curve of plan ${id}`,
      history: 'History',
      csv: 'Download the history as CSV',
      noPlans: 'No sampling plan drawn yet.',
    },
  },
} as const;

export type Text = (typeof TEXT)[Lang];

export interface Viewer {
  readonly role: PageRole;
  readonly organisation: string;
  readonly csrfToken: string;
}

const NAV: Record<PageRole, Array<keyof Text['nav']>> = {
  owner: ['instruments', 'due', 'import', 'energy'],
  lab: ['standards', 'record', 'findings', 'instruments', 'import'],
  inspector: ['search', 'instruments', 'due', 'plans'],
  auditor: ['audits', 'search', 'instruments'],
  admin: ['search', 'instruments', 'due', 'standards', 'record', 'findings', 'import', 'plans', 'audits', 'energy'],
};

/** The page a role lands on after signing in. */
export function homeOf(role: PageRole): string {
  return `/app/${NAV[role][0]}`;
}

/** A link to the same page in the other language. */
function langHref(path: string, query: Record<string, string | undefined>, other: Lang): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && k !== 'lang') q.set(k, v);
  q.set('lang', other);
  return `${path}?${q.toString()}`;
}

export interface PageFrame {
  readonly lang: Lang;
  readonly title: string;
  readonly path: string;
  readonly query?: Record<string, string | undefined>;
  readonly viewer: Viewer | null;
  readonly active?: string;
  readonly idleMinutes: number;
}

export function layout(f: PageFrame, body: string): string {
  const t = TEXT[f.lang];
  const other: Lang = f.lang === 'zh' ? 'en' : 'zh';
  const nav = f.viewer
    ? `<nav class="main">${NAV[f.viewer.role].map((n) => `<a href="/app/${n}"${n === f.active ? ' aria-current="page"' : ''}>${esc(t.nav[n])}</a>`).join('')}</nav>`
    : '';
  const who = f.viewer
    ? `<form class="signout" method="post" action="/app/sign-out"><input type="hidden" name="_csrf" value="${esc(f.viewer.csrfToken)}"><span id="who">${esc(t.signedInAs(t.roles[f.viewer.role], f.viewer.organisation))}</span> <button type="submit" id="sign-out">${esc(t.signOut)}</button></form>`
    : '';
  return `<!doctype html>
<html lang="${f.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(f.title)} · metrotrace</title>
<link rel="stylesheet" href="/app/app.css">
<script src="/app/app.js" defer></script>
</head>
<body>
<header><a class="brand" href="/app">${esc(t.app)}</a>${nav}<div class="tools"><a id="switch-lang" href="${esc(langHref(f.path, f.query ?? {}, other))}" hreflang="${other}">${esc(t.other)}</a>${who}</div></header>
<main>
<h1>${esc(f.title)}</h1>
${body}
</main>
${f.viewer ? `<footer>${esc(t.idleNote(f.idleMinutes))}</footer>` : ''}
</body>
</html>
`;
}

/** A table: headers and rows of cells already escaped (use `cell` for text). */
export function table(id: string, headers: readonly string[], rows: readonly (readonly string[])[], rowAttrs?: readonly string[]): string {
  return `<table id="${esc(id)}"><thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r, i) => `<tr${rowAttrs?.[i] ? ` ${rowAttrs[i]}` : ''}>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export const cell = (s: string | number | null | undefined): string => (s === null || s === undefined || s === '' ? '—' : esc(String(s)));
export const link = (href: string, text: string): string => `<a href="${esc(href)}">${esc(text)}</a>`;

export function statusBadge(lang: Lang, state: string, usable: boolean): string {
  const b = bucketOf(state, usable);
  return `<span class="badge ${b}" data-state="${esc(state)}">${esc(TEXT[lang].bucket[b])}</span> <small>${esc(state)}</small>`;
}

/** A form field: a label, the control, and the problem the API gave for it (if any). */
export function field(name: string, label: string, control: string, problem?: string): string {
  return `<div class="field${problem ? ' invalid' : ''}" data-field="${esc(name)}"><label for="f-${esc(name)}">${esc(label)}</label>${control}${problem ? `<p class="error" id="err-${esc(name)}">${esc(problem)}</p>` : ''}</div>`;
}

export function input(name: string, value: string, attrs = ''): string {
  return `<input id="f-${esc(name)}" name="${esc(name)}" value="${esc(value)}"${attrs ? ` ${attrs}` : ''}>`;
}

export function select(name: string, value: string, options: Record<string, string>): string {
  return `<select id="f-${esc(name)}" name="${esc(name)}">${Object.entries(options)
    .map(([v, l]) => `<option value="${esc(v)}"${v === value ? ' selected' : ''}>${esc(l)}</option>`)
    .join('')}</select>`;
}

export const csrfInput = (token: string): string => `<input type="hidden" name="_csrf" value="${esc(token)}">`;

/** The label's facts for an instrument page. */
export function labelTable(lang: Lang, l: Label): string {
  const t = TEXT[lang];
  const rows: Array<[string, string | null]> = [
    [t.col.name, l.instrument],
    [t.col.asset, l.assetCode],
    [t.col.location, l.location],
    [t.col.category, l.category ? (lang === 'zh' ? l.category.zh : l.category.en) : null],
    [t.col.certificate, l.certificateNo],
    [t.col.lab, l.lab],
    [t.col.verifiedOn, l.verifiedOn],
    [t.col.validUntil, l.validUntil],
  ];
  return `<section id="status" class="result ${l.usable ? 'ok' : 'stop'}" data-state="${esc(l.state)}"><p class="verdict">${statusBadge(lang, l.state, l.usable)} — ${esc(l.verdict[lang])}</p><table class="facts">${rows
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${cell(v)}</td></tr>`)
    .join('')}</table></section>`;
}

export function message(kind: 'ok' | 'error', text: string, id = 'message'): string {
  return `<p class="msg ${kind}" id="${esc(id)}" role="${kind === 'error' ? 'alert' : 'status'}">${esc(text)}</p>`;
}

export const APP_CSS = `*{box-sizing:border-box}
body{font:15px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;background:#f6f7f9;color:#1d2430}
header{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;padding:.6rem 1rem;background:#1f3b63;color:#fff}
header a{color:#fff;text-decoration:none}
header .brand{font-weight:700}
nav.main{display:flex;gap:.8rem;flex-wrap:wrap}
nav.main a[aria-current]{text-decoration:underline}
.tools{margin-left:auto;display:flex;gap:1rem;align-items:center}
.signout{display:flex;gap:.5rem;align-items:center;margin:0}
.signout button{background:#fff;color:#1f3b63;padding:.2rem .7rem}
main{max-width:72rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.4rem}
h2{font-size:1.1rem;margin-top:1.6rem}
footer{max-width:72rem;margin:2rem auto;padding:0 1rem;color:#6b7280;font-size:.85rem}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}
th,td{text-align:left;padding:.3rem .5rem;border-top:1px solid #e3e6eb;vertical-align:top}
thead th{background:#eef1f5;font-weight:600}
table.facts th{width:30%;font-weight:500;color:#4a5568}
form.panel{background:#fff;padding:1rem;border-radius:6px;display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.8rem 1rem;align-items:start}
form.inline{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end}
.field{display:flex;flex-direction:column;gap:.2rem}
.field label{font-weight:600;font-size:.9rem}
.field.invalid input,.field.invalid select{border-color:#c0392b;background:#fff5f4}
.error{color:#c0392b;margin:0;font-size:.85rem}
input,select{padding:.4rem;font-size:.95rem;border:1px solid #8a94a6;border-radius:4px;font-family:inherit}
button{padding:.45rem 1.1rem;font-size:.95rem;border:0;border-radius:4px;background:#1f5fbf;color:#fff;cursor:pointer;font-family:inherit}
button.secondary{background:#4a5568}
.actions{grid-column:1/-1;display:flex;gap:.6rem}
.badge{display:inline-block;padding:0 .5rem;border-radius:3px;font-size:.85rem;color:#fff;background:#6b7280}
.badge.in_force{background:#1e8a4a}
.badge.due_soon{background:#b7791f}
.badge.overdue{background:#c05621}
.badge.prohibited{background:#c0392b}
.result{margin-top:1rem;padding:1rem;border-radius:6px;background:#fff;border-left:6px solid #8a94a6}
.result.ok{border-color:#1e8a4a}
.result.stop{border-color:#c0392b}
.msg{padding:.6rem 1rem;border-radius:4px}
.msg.ok{background:#e6f4ea;color:#14532d}
.msg.error{background:#fdecea;color:#7f1d1d}
.counts{display:flex;gap:.6rem;flex-wrap:wrap;list-style:none;padding:0}
.chain{background:#fff;padding:.5rem;border-radius:6px;overflow:auto}
.chain img{max-width:100%}
tr.problem td{background:#fff5f4}
small{color:#6b7280}
.busy{opacity:.6;pointer-events:none}
`;

/**
 * The app's one script, progressive enhancement only (every page works without
 * it): a form being submitted is marked busy so that it is not sent twice, and
 * the file chosen on the import page is named beside the buttons.
 */
export const APP_JS = `'use strict';
document.addEventListener('submit', function (e) {
  var form = e.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (form.dataset.sent === '1') { e.preventDefault(); return; }
  form.dataset.sent = '1';
  window.setTimeout(function () { form.classList.add('busy'); }, 0);
});
window.addEventListener('pageshow', function () {
  document.querySelectorAll('form[data-sent]').forEach(function (f) { delete f.dataset.sent; f.classList.remove('busy'); });
});
document.addEventListener('change', function (e) {
  var el = e.target;
  if (!(el instanceof HTMLInputElement) || el.type !== 'file') return;
  var out = document.getElementById('chosen-file');
  if (out) out.textContent = el.files && el.files[0] ? el.files[0].name : '';
});
`;
