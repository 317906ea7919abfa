#pragma once

namespace gt {

// The tag of an operation started on a completion queue that one of
// ServiceHost's queue threads drains (ServiceHost::ServeAsync): the thread
// hands the operation's outcome to Proceed.
class CqTag {
 public:
  virtual void Proceed(bool ok) = 0;

 protected:
  ~CqTag() = default;
};

// A CqTag that calls a member function of the object it belongs to: one per
// kind of operation that object starts.
template <typename T>
class MemberTag final : public CqTag {
 public:
  MemberTag(T* owner, void (T::*fn)(bool)) : owner_(owner), fn_(fn) {}
  void Proceed(bool ok) override { (owner_->*fn_)(ok); }

 private:
  T* const owner_;
  void (T::*const fn_)(bool);
};

}  // namespace gt
