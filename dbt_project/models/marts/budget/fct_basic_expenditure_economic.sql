-- 一般公共预算基本支出 by 经济分类: one row per document × department × 部门经济分类 code × 政府经济分类 code ×
-- cost type (grain), from the leaf rows of 基本支出经济分类表. Codes are printed (闵行 2020: 类|款 codes of the
-- 部门 system) or mapped by name within the system of the column the name is printed in (阳泉 2025 prints
-- names only: 部门 name + 政府 name per row). A row printing both codes ("30101|50101", or a
-- 政府经济分类 code column beside the 部门 one) keeps the 部门 code as economic_code and the 政府
-- code beside it. An unmapped name keeps the row with a null code and is listed
-- in unresolved_names. cost_type is 人员经费 (basic_personnel) / 公用经费 (basic_public). No 类 or 合计
-- rows: Σ amount_yuan = 基本支出 of the table within the document's rounding. Fed by 财政拨款基本支出表
-- （经济科目） only when the document prints no 一般公共预算基本支出表 with data (int_statement_cells_routed).
{{ economic_fact_cells('fct_basic_expenditure_economic', 'basic_economic_key', 'cost_type') }}
