-- Cohort retention: for each cohort (customers by the month of their first valid order), the share still placing
-- valid orders 0, 1, 2... months later, the last 12 cohorts. Zero months are rows with 0, not gaps: chart it as a
-- heatmap (cohort_month down, months_since across, retention_rate as the colour).
select
  retention.cohort_month,
  retention.months_since,
  retention.cohort_customers,
  retention.active_customers,
  retention.retention_rate,
  retention.revenue_tax_excl
from analytics.cohort_retention as retention
where retention.cohort_month > (select max(cohorts.cohort_month) from analytics.cohort_retention as cohorts) - interval '12 months'
order by retention.cohort_month, retention.months_since;
