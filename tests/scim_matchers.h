// EXPECT_SCIM_OK / EXPECT_SCIM_ERROR: check a Result and print the whole
// error when it is not what was expected.
#ifndef SCIM_TESTS_SCIM_MATCHERS_H_
#define SCIM_TESTS_SCIM_MATCHERS_H_

#include <gtest/gtest.h>

#include "common/scim/error.h"

namespace scim::testing {

inline std::string Describe(const ScimError& e) {
  return std::to_string(e.status) + " " + std::string(ScimTypeName(e.type)) + " \"" + e.detail +
         "\"";
}

template <typename R>
::testing::AssertionResult IsScimOk(const R& r) {
  if (r.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "error " << Describe(r.error());
}

template <typename R>
::testing::AssertionResult IsScimError(const R& r, int status, ScimType type) {
  if (r.ok()) return ::testing::AssertionFailure() << "expected an error, got ok";
  if (r.error().status == status && r.error().type == type) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "got " << Describe(r.error()) << ", expected " << status << " " << ScimTypeName(type);
}

}  // namespace scim::testing

#define EXPECT_SCIM_OK(r) EXPECT_TRUE(::scim::testing::IsScimOk(r))
#define ASSERT_SCIM_OK(r) ASSERT_TRUE(::scim::testing::IsScimOk(r))
#define EXPECT_SCIM_ERROR(r, status, type) \
  EXPECT_TRUE(::scim::testing::IsScimError(r, status, type))

#endif  // SCIM_TESTS_SCIM_MATCHERS_H_
