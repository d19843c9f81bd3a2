#pragma once
/// @file work_queue.hpp
/// @brief Fixed pool of worker threads for handlers (search + Web API calls), so the I/O thread only acks.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace docbot::bot {

class WorkQueue {
 public:
  explicit WorkQueue(int threads) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { loop(); });
  }
  ~WorkQueue() { stop(); }
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  /// @brief Queues a job; false when the queue no longer accepts work (draining).
  bool push(std::function<void()> job) {
    {
      std::lock_guard lock(mu_);
      if (closed_) return false;
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
    return true;
  }

  /// @brief Stops accepting jobs and waits until queued and running jobs are done (up to @p timeout).
  /// Returns true when everything finished.
  bool drain(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    closed_ = true;
    return idle_.wait_for(lock, timeout, [this] { return jobs_.empty() && running_ == 0; });
  }

  std::size_t in_flight() {
    std::lock_guard lock(mu_);
    return jobs_.size() + static_cast<std::size_t>(running_);
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_)
      if (t.joinable()) t.join();
  }

 private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping and nothing left
        job = std::move(jobs_.front());
        jobs_.pop_front();
        ++running_;
      }
      job();
      {
        std::lock_guard lock(mu_);
        --running_;
        if (jobs_.empty() && running_ == 0) idle_.notify_all();
      }
    }
  }

  std::mutex mu_;
  std::condition_variable cv_, idle_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  int running_ = 0;
  bool closed_ = false, stopping_ = false;
};

}  // namespace docbot::bot
