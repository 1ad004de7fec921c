DROP TABLE job_run_requests;
