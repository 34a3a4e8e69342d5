"""budget-warehouse: Chinese public-sector budget disclosures as a reconciled DuckDB warehouse."""
