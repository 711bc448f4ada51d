// Log alert rules over Application Insights (customEvents, customMetrics, traces), and one over the Log Analytics
// workspace (_LogOperation: the daily cap). Every metric and event name here is one of shared/telemetry/names.ts,
// and dimensions are read as customDimensions.<dimension>; tests/infra/telemetryNames.test.ts holds the two
// together and tests/infra/kql.test.ts parses every query against the tables' schemas.

@description('Prefix of the alert rule names.')
param namePrefix string

@description('Azure region of the alert rules.')
param location string

@description('Tags applied to the alert rules and the action group.')
param tags object

@description('Resource id of the Application Insights component the rules query.')
param applicationInsightsId string

@description('Resource id of the Log Analytics workspace (the daily-cap rule queries its _LogOperation).')
param workspaceId string

@description('E-mail address that receives alerts through a new action group; empty to create none.')
param alertEmail string = ''

@description('Resource id of an existing action group to notify as well; empty for none.')
param existingActionGroupId string = ''

@description('Alert when an entity\'s watermark lags the shop clock by more than this many seconds.')
@minValue(300)
param watermarkLagThresholdSeconds int = 3600

@description('Alert when no sync run at all has reported for this long (ISO 8601; the timers or the telemetry stopped).')
@allowed([
  'PT30M'
  'PT45M'
  'PT1H'
  'PT2H'
  'PT6H'
])
param syncSilenceWindow string = 'PT1H'

@description('Turn every rule on or off, e.g. off in a scratch environment.')
param enabled bool = true

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: '${namePrefix}-alerts'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take('${namePrefix}alerts', 12)
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actionGroupIds = concat(
  empty(alertEmail) ? [] : [actionGroup.id],
  empty(existingActionGroupId) ? [] : [existingActionGroupId]
)

// A run needs a human when it failed, or ended partial for any cause but the routine time budget (a backfill that
// continues on the next tick): records set aside, a listing cut short, an empty window the shop contradicts, ...
var failedRunsQuery = '''
customEvents
| where name in ('PhcSyncRun', 'PhcReconcileRun')
| extend status = tostring(customDimensions.status), cause = tostring(customDimensions.cause)
| where status == 'failed' or (status == 'partial' and cause != 'time_budget')
| summarize failures = count() by entity = tostring(customDimensions.entity), run = name, status, cause
'''

var watermarkLagQuery = '''
customMetrics
| where name == 'phc_sync_watermark_lag_seconds'
| summarize lagSeconds = max(valueMax) by entity = tostring(customDimensions.entity)
'''

var poisonQuery = '''
union
  (customEvents | where name == 'PhcPoisonMessage' | project queue = tostring(customDimensions.queue)),
  (customMetrics | where name == 'phc_poison_messages' | project queue = tostring(customDimensions.queue)),
  (traces | where message has 'MaxDequeueCount' and message has 'analytics-refresh-poison' | project queue = 'analytics-refresh-poison')
| summarize messages = count() by queue
'''

var criticalQualityQuery = '''
customMetrics
| where name == 'phc_dq_failing_rows'
| where tostring(customDimensions.severity) == 'critical'
| summarize failingRows = max(valueMax) by check = tostring(customDimensions.check), entity = tostring(customDimensions.entity)
'''

// The workspace stops ingesting for the rest of the day when dailyQuotaGb is reached (workspaceCapping): the
// Application Insights rules above go blind until it resets, so this one says why.
var dailyCapQuery = '''
_LogOperation
| where Category =~ 'Ingestion'
| where Detail has 'OverQuota'
| summarize events = count()
'''

var syncSilenceQuery = '''
customEvents
| where name == 'PhcSyncRun'
| summarize runs = count()
'''

var rules = [
  {
    key: 'failed-sync'
    displayName: 'PHC: sync or reconcile run failed or needs a human'
    description: 'A PhcSyncRun or PhcReconcileRun event reported status failed, or partial for another cause than time_budget (rejected_records, incomplete_listing, empty_window_contradicted, interrupted, or none given). Check the run ledger (phc status) and the function logs.'
    severity: 1
    scope: applicationInsightsId
    query: failedRunsQuery
    measure: 'failures'
    aggregation: 'Total'
    operator: 'GreaterThan'
    threshold: 0
    dimensions: [
      'entity'
      'run'
      'status'
      'cause'
    ]
    window: 'PT15M'
    frequency: 'PT5M'
  }
  {
    key: 'watermark-lag'
    displayName: 'PHC: watermark lag above threshold'
    description: 'phc_sync_watermark_lag_seconds is above ${watermarkLagThresholdSeconds} s for an entity: the warehouse is falling behind the shop.'
    severity: 2
    scope: applicationInsightsId
    query: watermarkLagQuery
    measure: 'lagSeconds'
    aggregation: 'Maximum'
    operator: 'GreaterThan'
    threshold: watermarkLagThresholdSeconds
    dimensions: [
      'entity'
    ]
    window: 'PT30M'
    frequency: 'PT15M'
  }
  {
    key: 'poison-messages'
    displayName: 'PHC: analytics refresh message poisoned'
    description: 'A message reached the analytics-refresh-poison queue. The refresh still runs on the next message; inspect the poison queue and the refreshAnalytics logs.'
    severity: 2
    scope: applicationInsightsId
    query: poisonQuery
    measure: 'messages'
    aggregation: 'Total'
    operator: 'GreaterThan'
    threshold: 0
    dimensions: [
      'queue'
    ]
    window: 'PT15M'
    frequency: 'PT5M'
  }
  {
    key: 'critical-data-quality'
    displayName: 'PHC: critical data-quality check failing'
    description: 'A critical data-quality check has failing rows (phc_dq_failing_rows, severity critical); the analytics refresh kept the previous state.'
    severity: 1
    scope: applicationInsightsId
    query: criticalQualityQuery
    measure: 'failingRows'
    aggregation: 'Maximum'
    operator: 'GreaterThan'
    threshold: 0
    dimensions: [
      'check'
      'entity'
    ]
    window: 'PT30M'
    frequency: 'PT15M'
  }
  {
    key: 'sync-silent'
    displayName: 'PHC: no sync runs reported'
    description: 'No PhcSyncRun event for ${syncSilenceWindow}: the timers are not firing, the app is down, or its telemetry is not arriving.'
    severity: 2
    scope: applicationInsightsId
    query: syncSilenceQuery
    measure: 'runs'
    aggregation: 'Total'
    operator: 'LessThan'
    threshold: 1
    dimensions: []
    window: syncSilenceWindow
    frequency: 'PT15M'
  }
  {
    key: 'daily-cap'
    displayName: 'PHC: Log Analytics daily cap reached'
    description: 'The workspace reached its daily ingestion cap (logDailyQuotaGb) and drops telemetry until its daily reset: the workbook and the other alerts are blind meanwhile (the no-sync-runs alert may fire too). Find what grew (Usage table) before raising the cap.'
    severity: 2
    scope: workspaceId
    query: dailyCapQuery
    measure: 'events'
    aggregation: 'Total'
    operator: 'GreaterThan'
    threshold: 0
    dimensions: []
    window: 'PT1H'
    frequency: 'PT30M'
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: '${namePrefix}-${rule.key}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: enabled
      scopes: [
        rule.scope
      ]
      evaluationFrequency: rule.frequency
      windowSize: rule.window
      autoMitigate: true
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: rule.aggregation
            metricMeasureColumn: rule.measure
            operator: rule.operator
            threshold: rule.threshold
            dimensions: [
              for dimension in rule.dimensions: {
                name: dimension
                operator: 'Include'
                values: [
                  '*'
                ]
              }
            ]
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: actionGroupIds
      }
    }
  }
]

@description('Names of the alert rules.')
output ruleNames string[] = [for (rule, i) in rules: alertRules[i].name]

@description('Resource id of the action group created for alertEmail, or empty.')
output actionGroupId string = empty(alertEmail) ? '' : actionGroup.id
