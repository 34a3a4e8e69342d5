-- 一般公共预算项目支出 by 经济分类: one row per document × department × 部门经济分类 code × 政府经济分类 code
-- (grain), from the leaf rows of 一般公共预算支出表（按经济分类） (its 项目支出 column: 项目支出,
-- 专项业务经费支出) or of 一般公共预算项目支出表（按经济分类） (its only amount column). The 基本支出
-- money of the same classification is fct_basic_expenditure_economic: the two together are the
-- document's 一般公共预算 spending by 经济分类. Codes are printed (a pair "30201|50201" keeps the 政府
-- code beside the 部门 one) or mapped by name, as in fct_basic_expenditure_economic. No 类 or 合计
-- rows: Σ amount_yuan = 项目支出 of the table within the document's rounding.
{{ economic_fact_cells('fct_project_expenditure_economic', 'project_economic_key') }}
